package org.tensorscope.core.internal.rules;

import java.util.List;

import org.tensorscope.core.tensor.TensorData;

/**
 * NumPy broadcasting, as TensorFlow's elementwise ops apply it: for each element of the output,
 * the element of each input it was computed from (a [N,1] denominator against a [N,C] numerator).
 */
final class Broadcast {

    private final long[] outDims;
    private final long[][] strides;

    private Broadcast(long[] outDims, long[][] strides) {
        this.outDims = outDims;
        this.strides = strides;
    }

    /** The mapping from the output's elements to the inputs', or null when the shapes do not broadcast to it. */
    static Broadcast of(TensorData output, List<TensorData> inputs) {
        long[] out = output.shape().dims();
        long[][] strides = new long[inputs.size()][];
        for (int k = 0; k < inputs.size(); k++) {
            long[] in = inputs.get(k).shape().dims();
            if (in.length > out.length) {
                return null;
            }
            long[] s = new long[out.length];
            long stride = 1;
            for (int d = in.length - 1; d >= 0; d--) {
                int o = d + out.length - in.length;
                if (in[d] == out[o]) {
                    s[o] = in[d] == 1 ? 0 : stride;
                } else if (in[d] == 1) {
                    s[o] = 0;
                } else {
                    return null;
                }
                stride *= in[d];
            }
            strides[k] = s;
        }
        return new Broadcast(out, strides);
    }

    /** The flat index into input k of the element that made output element outIndex. */
    long index(int k, long outIndex) {
        long[] s = strides[k];
        long index = 0;
        for (int d = outDims.length - 1; d >= 0; d--) {
            long dim = outDims[d];
            if (dim == 0) {
                return 0;
            }
            index += (outIndex % dim) * s[d];
            outIndex /= dim;
        }
        return index;
    }
}
