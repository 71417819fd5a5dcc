package org.tensorscope.core.compare;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.tensorscope.core.service.BackendException;
import org.tensorscope.core.service.InferenceSession;
import org.tensorscope.core.tensor.TensorData;

/**
 * Fetches tensors from one side a batch at a time, so that only one batch of each side is held;
 * when a batch cannot be fetched (a tensor in a branch this input did not take), its halves are
 * fetched apart until the tensors that cannot be fetched are alone, each with the reason.
 */
final class BatchFetcher {

    /** A fetched tensor, or why it could not be fetched. */
    record Fetched(TensorData data, String problem) {
    }

    interface Fetch {
        Map<String, TensorData> fetch(List<String> tensors, IProgressMonitor monitor) throws BackendException;
    }

    private BatchFetcher() {
    }

    static Fetch asTraced(InferenceSession session, Map<String, TensorData> feeds) {
        return (tensors, monitor) -> session.fetchAsTraced(feeds, tensors, Map.of(), monitor);
    }

    static Fetch plain(InferenceSession session, Map<String, TensorData> feeds) {
        return (tensors, monitor) -> session.fetch(feeds, tensors, Map.of(), monitor);
    }

    static Map<String, Fetched> fetch(Fetch fetch, List<String> tensors, IProgressMonitor monitor) {
        Map<String, Fetched> fetched = new LinkedHashMap<>();
        fetchInto(fetch, tensors, fetched, SubMonitor.convert(monitor, 1));
        return fetched;
    }

    private static void fetchInto(Fetch fetch, List<String> tensors, Map<String, Fetched> into, SubMonitor monitor) {
        if (tensors.isEmpty()) {
            return;
        }
        monitor.checkCanceled();
        try {
            Map<String, TensorData> values = fetch.fetch(tensors, monitor.newChild(0));
            for (String t : tensors) {
                TensorData data = values.get(t);
                into.put(t, data == null ? new Fetched(null, "the backend returned no value") : new Fetched(data, null));
            }
        } catch (BackendException e) {
            if (tensors.size() == 1) {
                into.put(tensors.get(0), new Fetched(null, e.getMessage()));
                return;
            }
            int half = tensors.size() / 2;
            fetchInto(fetch, new ArrayList<>(tensors.subList(0, half)), into, monitor);
            fetchInto(fetch, new ArrayList<>(tensors.subList(half, tensors.size())), into, monitor);
        }
    }
}
