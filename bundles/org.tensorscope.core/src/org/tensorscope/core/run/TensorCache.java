package org.tensorscope.core.run;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tensors of one run that have been fetched, so that showing one again (in another view,
 * after a step, after stepping back) does not run the model again: the least recently used leave
 * first once the byte budget is reached. Safe to use from the UI thread and from jobs.
 */
public final class TensorCache {

    private final long budget;
    private final LinkedHashMap<String, AnalysedTensor> entries = new LinkedHashMap<>(64, 0.75f, true);
    private long bytes;

    /** @param budget the most bytes of tensor data kept */
    public TensorCache(long budget) {
        this.budget = budget;
    }

    public long budget() {
        return budget;
    }

    public synchronized Optional<AnalysedTensor> get(String tensor) {
        return Optional.ofNullable(entries.get(tensor));
    }

    /** The tensors among these that are all here, or empty if any is missing. */
    public synchronized Optional<Map<String, AnalysedTensor>> getAll(Collection<String> tensors) {
        Map<String, AnalysedTensor> found = new LinkedHashMap<>();
        for (String tensor : tensors) {
            AnalysedTensor entry = entries.get(tensor);
            if (entry == null) {
                return Optional.empty();
            }
            found.put(tensor, entry);
        }
        return Optional.of(found);
    }

    /** Those of the tensors that are not here, in their order. */
    public synchronized List<String> missing(Collection<String> tensors) {
        List<String> missing = new ArrayList<>();
        for (String tensor : tensors) {
            if (!entries.containsKey(tensor) && !missing.contains(tensor)) {
                missing.add(tensor);
            }
        }
        return missing;
    }

    /** Keeps a tensor unless it alone exceeds the budget; older ones leave to make room. */
    public synchronized void put(String tensor, AnalysedTensor value) {
        long size = value.bytes();
        AnalysedTensor previous = entries.remove(tensor);
        if (previous != null) {
            bytes -= previous.bytes();
        }
        if (size > budget) {
            return;
        }
        Iterator<AnalysedTensor> oldest = entries.values().iterator();
        while (bytes + size > budget && oldest.hasNext()) {
            bytes -= oldest.next().bytes();
            oldest.remove();
        }
        entries.put(tensor, value);
        bytes += size;
    }

    public synchronized long bytes() {
        return bytes;
    }

    public synchronized int size() {
        return entries.size();
    }
}
