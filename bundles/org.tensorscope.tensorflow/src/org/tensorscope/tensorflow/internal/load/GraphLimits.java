package org.tensorscope.tensorflow.internal.load;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;
import org.tensorscope.core.input.TensorBudget;
import org.tensorscope.core.service.ModelFiles;
import org.tensorscope.core.service.ModelLoadException;

/**
 * What a GraphDef from a stranger must pass before TensorFlow sees it: names of a sane length, no
 * constant (or Fill of a constant shape) larger than the {@link TensorBudget}, constants holding the bytes their shape
 * declares, no cycle other than a control-flow loop, and no chain of ops deeper than TensorFlow's
 * native code can walk without overflowing its stack. Every walk here is iterative.
 */
public final class GraphLimits {

    /**
     * Ops in a chain. TensorFlow's session recurses along chains on the calling thread's stack.
     * Measured with TensorFlow 2.18 on Linux x86-64 and Java's default 1 MiB thread stack: a chain
     * of Identity ops overflows it (the process dies) at 4,188 to 4,218 ops in a run and in a
     * trace, a chain of AddV2 at 20,000 in a run; importing 100,000 Identity ops is fine. 3,000
     * leaves a quarter of margin below the cheapest chain. A 64 MiB stack would run 20,000, but
     * tracing a chain takes time growing faster than its length (4,000 Identity ops: 15 s; 20,000:
     * more than 8 minutes), so a deeper limit would trade the crash for a hang.
     */
    public static final int MAX_DEPTH = 3_000;

    /** Characters in an op's name: the longest in the real models we test is 237. */
    public static final int MAX_NAME = 1_024;

    /**
     * Characters in a name outside any scope (no '/'): TensorFlow Java matches such names against
     * a regular expression whose time grows with the square of their length (a 16 KiB name takes
     * seconds, 1 MiB minutes); the longest in the real models we test is 16.
     */
    public static final int MAX_NAME_WITHOUT_SCOPE = 256;

    /** Scopes an op's name may nest ("a/b/c" nests 2): the deepest in the real models we test is 18. */
    public static final int MAX_SCOPES = 64;

    private static final Set<String> SHAPE_FROM_INPUT = Set.of("Fill", "BroadcastTo", "Zeros", "Ones", "Empty",
            "RandomUniform", "RandomStandardNormal", "TruncatedNormal");

    private GraphLimits() {
    }

    public static void check(Path source, GraphDef graph) throws ModelLoadException {
        checkNames(source, graph.getNodeList(), "");
        for (FunctionDef function : graph.getLibrary().getFunctionList()) {
            checkName(source, "function", function.getSignature().getName(), "");
            checkNames(source, function.getNodeDefList(), " in function " + function.getSignature().getName());
        }
        checkTensors(source, graph.getNodeList(), "");
        for (FunctionDef function : graph.getLibrary().getFunctionList()) {
            checkTensors(source, function.getNodeDefList(), " in function " + function.getSignature().getName());
        }
        checkCyclesAndDepth(source, graph.getNodeList());
    }

    private static void checkNames(Path source, List<NodeDef> nodes, String where) throws ModelLoadException {
        for (NodeDef node : nodes) {
            checkName(source, "op", node.getName(), where);
        }
    }

    private static void checkName(Path source, String what, String name, String where) throws ModelLoadException {
        int scopes = 0;
        for (int i = name.indexOf('/'); i >= 0 && scopes <= MAX_SCOPES; i = name.indexOf('/', i + 1)) {
            scopes++;
        }
        String problem = name.length() > MAX_NAME ? "a name of " + name.length() + " characters, more than the " + MAX_NAME
                + " allowed"
                : scopes == 0 && name.length() > MAX_NAME_WITHOUT_SCOPE ? "a name of " + name.length()
                        + " characters outside any scope, more than the " + MAX_NAME_WITHOUT_SCOPE + " allowed"
                : scopes > MAX_SCOPES ? "a name nesting more than " + MAX_SCOPES + " scopes" : null;
        if (problem != null) {
            throw new ModelLoadException(source, what + " '" + shortened(name) + "'" + where + " has " + problem);
        }
    }

    /** The first characters of a name too long to print. */
    static String shortened(String name) {
        return name.length() <= 40 ? name : name.substring(0, 40) + "...";
    }

    private static void checkTensors(Path source, List<NodeDef> nodes, String where) throws ModelLoadException {
        Map<String, NodeDef> byName = new HashMap<>();
        nodes.forEach(n -> byName.put(n.getName(), n));
        for (NodeDef node : nodes) {
            if (node.getOp().equals("Const") && node.containsAttr("value")) {
                TensorProto value = node.getAttrOrThrow("value").getTensor();
                long bytes = checkedBytes(source, "constant " + node.getName() + where, value.getTensorShape().getDimList()
                        .stream().mapToLong(TensorShapeProto.Dim::getSize).toArray(), value.getDtype());
                if (!value.getTensorContent().isEmpty() && value.getTensorContent().size() != bytes && byteSize(value.getDtype()) > 0) {
                    throw new ModelLoadException(source, "constant " + node.getName() + where + " declares shape "
                            + shapeText(value.getTensorShape()) + " (" + bytes + " bytes) but holds "
                            + value.getTensorContent().size() + " bytes");
                }
            } else if (SHAPE_FROM_INPUT.contains(node.getOp()) && node.getInputCount() > 0) {
                long[] dims = constantInts(byName.get(producer(node.getInput(0))));
                DataType type = node.getAttrOrDefault("T", node.getAttrOrDefault("dtype", AttrValue.getDefaultInstance()))
                        .getType();
                if (dims != null) {
                    checkedBytes(source, node.getOp() + " " + node.getName() + where, dims, type);
                }
            }
        }
    }

    private static long checkedBytes(Path source, String what, long[] dims, DataType type) throws ModelLoadException {
        long elements = 1;
        long bytes;
        try {
            for (long d : dims) {
                if (d < 0) {
                    throw new ModelLoadException(source, what + " has a negative dimension " + d);
                }
                elements = Math.multiplyExact(elements, d);
            }
            bytes = Math.multiplyExact(elements, (long) Math.max(byteSize(type), 1));
        } catch (ArithmeticException e) {
            throw new ModelLoadException(source, what + " has a shape " + java.util.Arrays.toString(dims)
                    + " whose size overflows");
        }
        long budget = TensorBudget.bytes();
        if (bytes > budget) {
            throw new ModelLoadException(source, what + " of shape " + java.util.Arrays.toString(dims) + " would need "
                    + ModelFiles.sizeText(bytes) + ", more than the " + ModelFiles.sizeText(budget)
                    + " allowed for one tensor (raise " + TensorBudget.ENVIRONMENT + " to allow more)");
        }
        return bytes;
    }

    /** The values of a small integer constant (a shape), or null. */
    private static long[] constantInts(NodeDef node) {
        if (node == null || !node.getOp().equals("Const") || !node.containsAttr("value")) {
            return null;
        }
        TensorProto t = node.getAttrOrThrow("value").getTensor();
        long count = ConstValues.elements(t.getTensorShape());
        if (count > 64) {
            return null;
        }
        long[] values = new long[(int) count];
        ByteBuffer content = t.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
            if (t.getDtype() == DataType.DT_INT32) {
                values[i] = content.remaining() >= 4 ? content.getInt(i * 4)
                        : t.getIntValCount() == 0 ? 0 : t.getIntVal(Math.min(i, t.getIntValCount() - 1));
            } else if (t.getDtype() == DataType.DT_INT64) {
                values[i] = content.remaining() >= 8 ? content.getLong(i * 8)
                        : t.getInt64ValCount() == 0 ? 0 : t.getInt64Val(Math.min(i, t.getInt64ValCount() - 1));
            } else {
                return null;
            }
        }
        return values;
    }

    private static int byteSize(DataType type) {
        return switch (type) {
            case DT_FLOAT, DT_INT32, DT_UINT32 -> 4;
            case DT_DOUBLE, DT_INT64, DT_UINT64, DT_COMPLEX64 -> 8;
            case DT_COMPLEX128 -> 16;
            case DT_HALF, DT_BFLOAT16, DT_INT16, DT_UINT16 -> 2;
            case DT_INT8, DT_UINT8, DT_BOOL, DT_QINT8, DT_QUINT8 -> 1;
            default -> 0;
        };
    }

    private static String shapeText(TensorShapeProto shape) {
        return shape.getDimList().stream().map(d -> Long.toString(d.getSize())).toList().toString();
    }

    private static String producer(String input) {
        String name = input.startsWith("^") ? input.substring(1) : input;
        int colon = name.indexOf(':');
        return colon < 0 ? name : name.substring(0, colon);
    }

    /**
     * Kahn's algorithm over data and control edges, leaving out the back edges of control-flow
     * loops (from NextIteration); what stays unordered is a cycle. The depth is the longest chain.
     */
    private static void checkCyclesAndDepth(Path source, List<NodeDef> nodes) throws ModelLoadException {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            index.putIfAbsent(nodes.get(i).getName(), i);
        }
        int[] pending = new int[nodes.size()];
        List<List<Integer>> consumers = new ArrayList<>(nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            consumers.add(new ArrayList<>(1));
        }
        for (int i = 0; i < nodes.size(); i++) {
            for (String input : nodes.get(i).getInputList()) {
                Integer p = index.get(producer(input));
                if (p != null && !nodes.get(p).getOp().endsWith("NextIteration")) {
                    pending[i]++;
                    consumers.get(p).add(i);
                }
            }
        }
        int[] depth = new int[nodes.size()];
        Deque<Integer> ready = new ArrayDeque<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (pending[i] == 0) {
                ready.add(i);
                depth[i] = 1;
            }
        }
        int ordered = 0;
        int deepest = 0;
        while (!ready.isEmpty()) {
            int n = ready.poll();
            ordered++;
            if (depth[n] > MAX_DEPTH) {
                throw new ModelLoadException(source, "the graph has a chain of more than " + MAX_DEPTH + " ops (up to "
                        + nodes.get(n).getName() + "), deeper than TensorFlow can run safely");
            }
            deepest = Math.max(deepest, depth[n]);
            for (int c : consumers.get(n)) {
                depth[c] = Math.max(depth[c], depth[n] + 1);
                if (--pending[c] == 0) {
                    ready.add(c);
                }
            }
        }
        if (ordered < nodes.size()) {
            List<String> inCycle = new ArrayList<>();
            for (int i = 0; i < nodes.size() && inCycle.size() < 3; i++) {
                if (pending[i] > 0) {
                    inCycle.add(nodes.get(i).getName());
                }
            }
            throw new ModelLoadException(source, "the graph has a cycle that is not a control-flow loop ("
                    + (nodes.size() - ordered) + " ops, e.g. " + String.join(", ", inCycle) + ")");
        }
    }
}
