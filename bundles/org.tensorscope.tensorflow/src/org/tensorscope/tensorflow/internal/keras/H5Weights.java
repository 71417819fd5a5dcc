package org.tensorscope.tensorflow.internal.keras;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;
import org.tensorscope.core.service.ModelFiles;

import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;

/**
 * Weights in an HDF5 file as Keras writes them. Keras 2 ({@code .h5}): group {@code model_weights/<layer>} lists
 * its datasets in the attribute {@code weight_names} ({@code conv2d/kernel:0}). Keras 3 ({@code model.weights.h5}
 * inside a {@code .keras} file): {@code layers/<layer>/vars/0, 1, ...}, in the order the layer creates them, nested
 * models under {@code layers/<model>/layers/<layer>}, wrapped layers in subgroups ({@code forward_layer/cell/vars}).
 */
final class H5Weights implements LayerWeights {

    private final Group root;
    private final boolean keras3;
    /** The values {@link #readAll} read, by dataset path. */
    private final Map<String, TensorProto> read = new HashMap<>();

    /** @param root the file's {@code model_weights} group (Keras 2) or the file itself (Keras 3) */
    H5Weights(Group root, boolean keras3) {
        this.root = root;
        this.keras3 = keras3;
    }

    /**
     * Reads the value of every dataset the layers' weights can come from now, in Java only (so alongside the natives'
     * load, see {@link org.tensorscope.tensorflow.internal.ModelReading}), and building the graph reads none. A
     * dataset that cannot be read is left to the layer that uses it, which names the problem as before.
     */
    H5Weights readAll() {
        readUnder(keras3 ? root.getChildren().get("layers") : root, new HashSet<>());
        return this;
    }

    private void readUnder(Node node, Set<Long> seen) {
        // a group linked from below itself would otherwise be walked forever
        if (node == null || !seen.add(node.getAddress())) {
            return;
        }
        if (node instanceof Dataset dataset) {
            try {
                read.put(dataset.getPath(), tensor(dataset, dataset.getPath()));
            } catch (RuntimeException e) {
                // left to the layer that uses it
            }
        } else if (node instanceof Group group) {
            group.getChildren().values().forEach(child -> readUnder(child, seen));
        }
    }

    private TensorProto value(Dataset dataset, String where) {
        TensorProto known = read.get(dataset.getPath());
        return known != null ? known : tensor(dataset, where);
    }

    @Override
    public List<Weight> of(List<String> layerPath) {
        return keras3 ? keras3(layerPath) : keras2(layerPath);
    }

    private List<Weight> keras2(List<String> layerPath) {
        Node layer = root.getChildren().get(layerPath.get(0));
        List<Weight> weights = new ArrayList<>();
        if (!(layer instanceof Group group)) {
            return weights;
        }
        Attribute names = group.getAttribute("weight_names");
        if (names == null) {
            return weights;
        }
        String inner = layerPath.size() > 1 ? layerPath.get(layerPath.size() - 1) + "/" : null;
        for (String name : strings(names.getData())) {
            if (inner != null && !name.startsWith(inner) && !name.contains("/" + inner)) {
                continue;
            }
            Node node = group.getByPath(name);
            if (node instanceof Dataset dataset) {
                weights.add(new Weight(name, value(dataset, layerPath.get(0) + "/" + name)));
            }
        }
        return weights;
    }

    private List<Weight> keras3(List<String> layerPath) {
        Node node = root.getChildren().get("layers");
        for (int i = 0; i < layerPath.size() && node instanceof Group group; i++) {
            node = i == 0 ? group.getChildren().get(layerPath.get(i))
                    : group.getChildren().get("layers") instanceof Group layers ? layers.getChildren().get(layerPath.get(i)) : null;
        }
        List<Weight> weights = new ArrayList<>();
        if (node instanceof Group group) {
            collect(group, "", weights);
        }
        return weights;
    }

    /** The datasets under a layer's group: its {@code vars} by index, then its subgroups by name. */
    private void collect(Group group, String prefix, List<Weight> into) {
        List<Map.Entry<String, Node>> children = new ArrayList<>(group.getChildren().entrySet());
        children.sort(Comparator.comparing((Map.Entry<String, Node> e) -> e.getValue() instanceof Dataset ? 0 : 1)
                .thenComparing(e -> e.getKey().matches("\\d+") ? String.format("%09d", Integer.parseInt(e.getKey())) : e.getKey()));
        for (Map.Entry<String, Node> child : children) {
            if (child.getValue() instanceof Dataset dataset) {
                into.add(new Weight(prefix + child.getKey(), value(dataset, dataset.getPath())));
            } else if (child.getValue() instanceof Group sub && !child.getKey().equals("layers")) {
                collect(sub, prefix + child.getKey() + "/", into);
            }
        }
    }

    static List<String> strings(Object data) {
        List<String> strings = new ArrayList<>();
        if (data instanceof String s) {
            strings.add(s);
        } else if (data instanceof String[] a) {
            strings.addAll(List.of(a));
        } else if (data instanceof Object[] a) {
            for (Object o : a) {
                strings.add(o instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.UTF_8) : String.valueOf(o));
            }
        }
        return strings;
    }

    /** A dataset as a float32 TensorProto; float64 and float16 weights are converted. */
    static TensorProto tensor(Dataset dataset, String where) {
        int[] dims = dataset.getDimensions();
        long n = 1;
        long[] shape = new long[dims.length];
        for (int i = 0; i < dims.length; i++) {
            shape[i] = dims[i];
            n = Math.multiplyExact(n, dims[i]);
        }
        if (n > ModelFiles.MODEL_FILE_LIMIT / 4) {
            throw new IllegalStateException("weight " + where + " declares " + n + " elements, more than can be loaded");
        }
        Object flat = dataset.getDataFlat();
        ByteBuffer out = ByteBuffer.allocate((int) n * 4).order(ByteOrder.LITTLE_ENDIAN);
        if (flat instanceof float[] f) {
            for (float v : f) {
                out.putFloat(v);
            }
        } else if (flat instanceof double[] d) {
            for (double v : d) {
                out.putFloat((float) v);
            }
        } else if (flat instanceof int[] a) {
            for (int v : a) {
                out.putFloat(v);
            }
        } else if (flat instanceof long[] a) {
            for (long v : a) {
                out.putFloat(v);
            }
        } else {
            throw new IllegalStateException("weight " + where + " holds " + dataset.getJavaType().getSimpleName()
                    + " values, not numbers");
        }
        if (out.position() != n * 4) {
            throw new IllegalStateException("weight " + where + " holds fewer values than its shape declares");
        }
        return TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(ProtoShapes.of(shape))
                .setTensorContent(com.google.protobuf.ByteString.copyFrom(out.array())).build();
    }
}
