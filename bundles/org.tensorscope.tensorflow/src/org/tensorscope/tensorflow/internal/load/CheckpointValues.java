package org.tensorscope.tensorflow.internal.load;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SaverDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;
import org.tensorflow.types.TString;
import org.tensorscope.core.model.SideEffectOps;
import org.tensorscope.core.service.ModelLoadException;

import com.google.protobuf.ByteString;

/**
 * The values of a SavedModel's variables as its checkpoint holds them. The meta graph is imported
 * into a session of its own and only its saver's restore op is run, fed the checkpoint's path, as
 * TensorFlow's SavedModel loader does; its init/main op is not run (it sets up assets and tables,
 * not variables). Reading the graph ourselves, rather than through {@code SavedModelBundle}, also
 * loads models whose signatures declare types the graph does not have (TF Serving's test models do).
 */
final class CheckpointValues {

    /** What a restore op may touch outside the graph: the checkpoint it is fed. */
    private static final Set<String> RESTORE_OPS = Set.of("RestoreV2", "Restore", "RestoreSlice");

    private CheckpointValues() {
    }

    /**
     * @param variables the VariableV2/Variable/VarHandleOp nodes whose values are wanted
     * @return the value of each variable, by node name
     */
    static Map<String, TensorProto> read(Path dir, MetaGraphDef meta, Iterable<NodeDef> variables)
            throws ModelLoadException {
        SaverDef saver = meta.getSaverDef();
        if (saver.getRestoreOpName().isEmpty() || saver.getFilenameTensorName().isEmpty()) {
            throw new ModelLoadException(dir, "the model has variables but no saver to restore them from variables/");
        }
        checkRestoreStaysInside(dir, meta, saver.getRestoreOpName());
        String prefix = dir.resolve("variables").resolve("variables").toAbsolutePath().toString();
        Map<String, TensorProto> values = new LinkedHashMap<>();
        try (Graph graph = new Graph()) {
            graph.importGraphDef(meta.getGraphDef());
            ConfigProto cpuOnly = ConfigProto.newBuilder().putDeviceCount("GPU", 0).build();
            try (Session session = new Session(graph, cpuOnly); TString file = TString.scalarOf(prefix)) {
                session.runner().feed(saver.getFilenameTensorName(), file).addTarget(opName(saver.getRestoreOpName()))
                        .run();
                for (NodeDef variable : variables) {
                    values.put(variable.getName(), valueOf(graph, session, variable, dir));
                }
            }
        }
        return values;
    }

    private static TensorProto valueOf(Graph graph, Session session, NodeDef variable, Path dir)
            throws ModelLoadException {
        GraphOperation op = graph.operation(variable.getName());
        if (op == null) {
            throw new ModelLoadException(dir, "variable " + variable.getName() + " is not in the loaded graph");
        }
        String fetch = variable.getName();
        if (variable.getOp().equals("VarHandleOp")) {
            DataType dtype = variable.getAttrOrThrow("dtype").getType();
            fetch = graph.opBuilder("ReadVariableOp", "checkpoint_read/" + variable.getName(), graph.baseScope())
                    .addInput(op.output(0)).setAttr("dtype", dtype).build().name();
        }
        try (Result result = session.runner().fetch(fetch).run()) {
            return proto(result.get(0));
        }
    }

    static TensorProto proto(Tensor tensor) {
        org.tensorflow.RawTensor raw = tensor.asRawTensor();
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : raw.shape().asArray()) {
            shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
        }
        TensorProto.Builder value = TensorProto.newBuilder().setDtype(raw.dataType()).setTensorShape(shape);
        if (tensor instanceof TString strings) {
            strings.asBytes().scalars().forEach(s -> value.addStringVal(ByteString.copyFrom(s.getObject())));
        } else {
            byte[] bytes = new byte[(int) raw.numBytes()];
            raw.data().read(bytes);
            value.setTensorContent(ByteString.copyFrom(bytes));
        }
        return value.build();
    }

    /**
     * A model is a program: its restore op runs at load, before the user has seen the model, so
     * it may read the checkpoint and nothing else (no WriteFile, no PyFunc hidden in it).
     */
    private static void checkRestoreStaysInside(Path dir, MetaGraphDef meta, String restoreOp)
            throws ModelLoadException {
        Map<String, NodeDef> nodes = new HashMap<>();
        meta.getGraphDef().getNodeList().forEach(n -> nodes.put(n.getName(), n));
        Map<String, FunctionDef> functions = new HashMap<>();
        meta.getGraphDef().getLibrary().getFunctionList().forEach(f -> functions.put(f.getSignature().getName(), f));
        Deque<NodeDef> todo = new ArrayDeque<>();
        Set<String> seen = new HashSet<>();
        Set<String> seenFunctions = new HashSet<>();
        NodeDef start = nodes.get(opName(restoreOp));
        if (start == null) {
            throw new ModelLoadException(dir, "the saver's restore op " + restoreOp + " is not in the graph");
        }
        todo.add(start);
        while (!todo.isEmpty()) {
            NodeDef node = todo.poll();
            if (SideEffectOps.isSideEffect(node.getOp()) && !RESTORE_OPS.contains(node.getOp())) {
                throw new ModelLoadException(dir, "the saver's restore op would run " + node.getName() + " ("
                        + node.getOp() + "), which reaches outside the model; it is not run at load");
            }
            for (String called : FunctionBodies.called(node)) {
                if (seenFunctions.add(called) && functions.containsKey(called)) {
                    todo.addAll(functions.get(called).getNodeDefList());
                }
            }
            if (nodes.get(node.getName()) == node) {
                for (String input : node.getInputList()) {
                    NodeDef producer = nodes.get(opName(input.replace("^", "")));
                    if (producer != null && seen.add(producer.getName())) {
                        todo.add(producer);
                    }
                }
            }
        }
    }

    private static String opName(String tensorOrOp) {
        int colon = tensorOrOp.indexOf(':');
        return colon < 0 ? tensorOrOp : tensorOrOp.substring(0, colon);
    }
}
