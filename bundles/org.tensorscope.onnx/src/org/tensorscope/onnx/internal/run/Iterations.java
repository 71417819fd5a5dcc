package org.tensorscope.onnx.internal.run;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import org.tensorscope.core.model.Shape;
import org.tensorscope.core.service.BackendException;
import org.tensorscope.core.tensor.TensorData;

/**
 * The values of a loop body's tensor stacked along a first axis, one slice per iteration, as
 * {@link SubgraphInliner} makes a Loop or Scan return them.
 */
final class Iterations {

    private Iterations() {
    }

    static long count(TensorData stacked) {
        return stacked.shape().rank() == 0 ? 0 : stacked.shape().dim(0);
    }

    /** The first iteration whose slice holds a NaN or infinity; -1 when none does. */
    static long firstNonFinite(TensorData stacked) {
        if (!stacked.dtype().isFloating() || count(stacked) == 0) {
            return -1;
        }
        long perIteration = stacked.size() / count(stacked);
        for (long i = 0; i < stacked.size(); i++) {
            if (!Double.isFinite(stacked.getDouble(i))) {
                return perIteration == 0 ? 0 : i / perIteration;
            }
        }
        return -1;
    }

    /**
     * One slice of each stacked tensor: for each loop, the first iteration where any of its
     * tensors asked for holds a NaN or infinity (so that an op's inputs and output are read where
     * it went wrong), else its last iteration.
     *
     * @param loopOf the loop of each tensor
     */
    static Map<String, TensorData> atIterationOfInterest(Map<String, TensorData> stacked,
            Function<String, String> loopOf) throws BackendException {
        Map<String, Long> iteration = new HashMap<>();
        for (Map.Entry<String, TensorData> entry : stacked.entrySet()) {
            long first = firstNonFinite(entry.getValue());
            String loop = loopOf.apply(entry.getKey());
            if (first >= 0) {
                iteration.merge(loop, first, Math::min);
            }
        }
        Map<String, TensorData> slices = new LinkedHashMap<>();
        for (Map.Entry<String, TensorData> entry : stacked.entrySet()) {
            TensorData all = entry.getValue();
            String loop = loopOf.apply(entry.getKey());
            long k = iteration.getOrDefault(loop, count(all) - 1);
            if (k < 0) {
                throw new BackendException(entry.getKey() + " has no value: " + loop + " ran no iteration");
            }
            slices.put(entry.getKey(), slice(all, k));
        }
        return slices;
    }

    static TensorData slice(TensorData stacked, long k) {
        long[] dims = stacked.shape().dims();
        long[] sliceDims = Arrays.copyOfRange(dims, 1, dims.length);
        long elements = Shape.of(sliceDims).numElements();
        int byteSize = stacked.dtype().byteSize();
        ByteBuffer bytes = stacked.bytes();
        int from = Math.toIntExact(bytes.position() + k * elements * byteSize);
        ByteBuffer slice = bytes.duplicate().position(from).limit(Math.toIntExact(from + elements * byteSize)).slice();
        return new TensorData(stacked.name(), stacked.dtype(), Shape.of(sliceDims), slice);
    }
}
