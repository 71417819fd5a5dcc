package org.tensorscope.onnx.internal.run;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.tensorscope.core.tensor.TensorData;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;

/**
 * What each value one ONNX Runtime session returns takes, known before the run: ONNX Runtime holds every value a
 * run returns until the run ends, and a model checked whole returns all of them, so a run returning more than a
 * budget is split into runs that each return part. The size comes from the shape ONNX Runtime inferred when it
 * opened the model, a symbolic dimension named like one of an input's taking the fed size, or else from what an
 * earlier run with the same fed shapes returned or sized ({@link #sized}). A value of unknown size counts as nothing:
 * the estimate errs low.
 */
final class ReturnedSizes {

    /** Fed shapes whose returned sizes are remembered: the last few a session was run with. */
    private static final int SHAPES_KEPT = 4;

    private final OrtSession session;
    private Map<String, TensorInfo> outputs;
    private Map<String, TensorInfo> inputs;
    /** Least recently used first. */
    private final Map<Map<String, List<Long>>, Map<String, Seen>> returned = new LinkedHashMap<>(8, 0.75f, true);

    /** A value a run returned: its size and shape (null when only its size was asked for). */
    private record Seen(long bytes, long[] shape) {
    }

    ReturnedSizes(OrtSession session) {
        this.session = session;
    }

    /**
     * The values split into runs, in their order, each run's known sizes adding up to at most {@code budget} (a
     * value over it alone makes a run of its own).
     */
    List<Set<String>> runs(Collection<String> values, Map<String, TensorData> fed, long budget) {
        List<Set<String>> runs = new ArrayList<>();
        Set<String> run = new LinkedHashSet<>();
        long bytes = 0;
        for (String value : values) {
            long size = bytes(value, fed);
            if (!run.isEmpty() && (bytes + size > budget || bytes + size < 0)) {
                runs.add(run);
                run = new LinkedHashSet<>();
                bytes = 0;
            }
            run.add(value);
            bytes += size;
        }
        if (!run.isEmpty()) {
            runs.add(run);
        }
        return runs;
    }

    /** What every value the model returns takes in all for these fed tensors, as far as it is known. */
    long allBytes(Map<String, TensorData> fed) {
        readInfo();
        long all = 0;
        for (String value : outputs.keySet()) {
            all += bytes(value, fed);
            if (all < 0) {
                return Long.MAX_VALUE;
            }
        }
        return all;
    }

    /** The bytes the value takes for these fed tensors, 0 when neither its shape nor an earlier run tells. */
    long bytes(String value, Map<String, TensorData> fed) {
        long fromShape = fromShape(value, fed);
        if (fromShape >= 0) {
            return fromShape;
        }
        Seen seen = seen(value, fed);
        return seen == null ? 0 : seen.bytes();
    }

    /**
     * The value's shape: the one ONNX Runtime inferred, its symbolic dimensions bound by the fed inputs', or the one
     * an earlier run with the same fed shapes returned; null if neither is known.
     */
    long[] shape(String value, Map<String, TensorData> fed) {
        long[] inferred = inferredShape(value, fed);
        if (inferred != null) {
            return inferred;
        }
        Seen seen = seen(value, fed);
        return seen == null ? null : seen.shape();
    }

    private Seen seen(String value, Map<String, TensorData> fed) {
        Map<String, Seen> seen = returned.get(fedShapes(fed));
        return seen == null ? null : seen.get(value);
    }

    private long[] inferredShape(String value, Map<String, TensorData> fed) {
        readInfo();
        TensorInfo info = outputs.get(value);
        if (info == null) {
            return null;
        }
        long[] dims = info.getShape().clone();
        String[] names = info.getDimensionNames();
        Map<String, Long> bound = null;
        for (int d = 0; d < dims.length; d++) {
            if (dims[d] >= 0) {
                continue;
            }
            if (bound == null) {
                bound = boundDimensions(fed);
            }
            Long size = d < names.length ? bound.get(names[d]) : null;
            if (size == null) {
                return null;
            }
            dims[d] = size;
        }
        return dims;
    }

    /** What a run returned, for later runs with the same fed shapes. */
    void returned(String value, Map<String, TensorData> fed, TensorData data) {
        remember(fedShapes(fed), value, new Seen(data.bytes().remaining(), data.shape().dims()));
    }

    /**
     * The values of the list whose size is known neither from their inferred shape nor from an earlier run with
     * these fed shapes, and which ONNX Runtime says are tensors (a sequence has no element count).
     */
    List<String> unknown(Collection<String> values, Map<String, TensorData> fed) {
        readInfo();
        return values.stream().filter(v -> outputs.containsKey(v) && fromShape(v, fed) < 0 && seen(v, fed) == null)
                .toList();
    }

    /**
     * A value's element count, learnt before a run that returns it: its size until the run returns it. An element
     * of a type without a size here (strings, 4- and 8-bit floats) counts as one byte: the estimate errs low, so that
     * nothing is refused for a size it does not have.
     */
    void sized(String value, Map<String, TensorData> fed, long elements) {
        readInfo();
        TensorInfo info = outputs.get(value);
        int itemBytes = info == null || itemBytes(info) <= 0 ? 1 : itemBytes(info);
        remember(fedShapes(fed), value, new Seen(saturatedMultiply(elements, itemBytes), null));
    }

    private void remember(Map<String, List<Long>> key, String value, Seen seen) {
        returned.computeIfAbsent(key, k -> new HashMap<>()).put(value, seen);
        if (returned.size() > SHAPES_KEPT) {
            returned.remove(returned.keySet().iterator().next());
        }
    }

    private long fromShape(String value, Map<String, TensorData> fed) {
        long[] dims = inferredShape(value, fed);
        int itemBytes = dims == null ? 0 : itemBytes(outputs.get(value));
        if (itemBytes <= 0) {
            return -1;
        }
        long bytes = itemBytes;
        for (long d : dims) {
            bytes = saturatedMultiply(bytes, d);
        }
        return bytes;
    }

    private static long saturatedMultiply(long a, long b) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        return hi != 0 || lo < 0 ? Long.MAX_VALUE : lo;
    }

    /** Each named symbolic dimension of an input, with its size in the fed tensor. */
    private Map<String, Long> boundDimensions(Map<String, TensorData> fed) {
        Map<String, Long> bound = new HashMap<>();
        inputs.forEach((name, info) -> {
            TensorData data = fed.get(name);
            String[] names = info.getDimensionNames();
            long[] dims = info.getShape();
            if (data == null || data.shape().rank() != dims.length) {
                return;
            }
            for (int d = 0; d < dims.length && d < names.length; d++) {
                if (dims[d] < 0 && !names[d].isEmpty()) {
                    bound.putIfAbsent(names[d], data.shape().dims()[d]);
                }
            }
        });
        return bound;
    }

    /**
     * How a CURT pass checks the value, by its type as ONNX Runtime inferred it: {@link Summable#AS_IS} for float,
     * {@link Summable#AS_FLOAT} for double (cast first; a double past the float range casts to infinity, which only
     * makes its values be looked at), {@link Summable#READ} for float16 and bfloat16 (see {@link CurtSums#of}) and a
     * value whose type ONNX Runtime did not infer, {@link Summable#NOT_FLOAT} for any other type: nothing to check.
     */
    Summable summable(String value) {
        readInfo();
        TensorInfo info = outputs.get(value);
        if (info == null) {
            return Summable.READ;
        }
        return switch (info.onnxType) {
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT -> Summable.AS_IS;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE -> Summable.AS_FLOAT;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16, ONNX_TENSOR_ELEMENT_DATA_TYPE_BFLOAT16,
                    ONNX_TENSOR_ELEMENT_DATA_TYPE_UNDEFINED -> Summable.READ;
            default -> Summable.NOT_FLOAT;
        };
    }

    /** See {@link ReturnedSizes#summable}. */
    enum Summable {
        AS_IS, AS_FLOAT, READ, NOT_FLOAT
    }

    private void readInfo() {
        if (outputs != null) {
            return;
        }
        outputs = new HashMap<>();
        inputs = new HashMap<>();
        try {
            tensorInfos(session.getOutputInfo(), outputs);
            tensorInfos(session.getInputInfo(), inputs);
        } catch (OrtException e) {
            // without the inferred shapes, the sizes earlier runs returned are all there is to go by
        }
    }

    private static void tensorInfos(Map<String, NodeInfo> infos, Map<String, TensorInfo> into) {
        infos.forEach((name, info) -> {
            if (info.getInfo() instanceof TensorInfo tensor) {
                into.put(name, tensor);
            }
        });
    }

    private static int itemBytes(TensorInfo info) {
        return switch (info.onnxType) {
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8, ONNX_TENSOR_ELEMENT_DATA_TYPE_INT8,
                    ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL -> 1;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT16, ONNX_TENSOR_ELEMENT_DATA_TYPE_INT16,
                    ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16, ONNX_TENSOR_ELEMENT_DATA_TYPE_BFLOAT16 -> 2;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT32, ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32,
                    ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT -> 4;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT64, ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64,
                    ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE, ONNX_TENSOR_ELEMENT_DATA_TYPE_COMPLEX64 -> 8;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_COMPLEX128 -> 16;
            default -> 0;
        };
    }

    private static Map<String, List<Long>> fedShapes(Map<String, TensorData> fed) {
        Map<String, List<Long>> shapes = new HashMap<>();
        fed.forEach((name, data) -> shapes.put(name, Arrays.stream(data.shape().dims()).boxed().toList()));
        return shapes;
    }
}
