package org.tensorscope.tensorflow.internal.load;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.tensorflow.proto.CollectionDef;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SignatureDef;
import org.tensorscope.core.model.OpNode;

/**
 * What a SavedModel's init op would run, for the side-effect guard: the {@code __saved_model_init_op}
 * signature, the legacy {@code saved_model_main_op}/{@code legacy_init_op} collections and the
 * table initialisers (which read assets), followed through their inputs and into the functions they
 * call. Tensorscope never runs them; they are read from the meta graph only, so that {@code info}
 * lists them and {@code run} refuses them as it refuses the main graph's.
 */
final class SavedModelInitOps {

    static final String INIT_SIGNATURE = "__saved_model_init_op";
    private static final List<String> INIT_COLLECTIONS = List.of("saved_model_main_op", "legacy_init_op",
            "table_initializer");

    private SavedModelInitOps() {
    }

    /** The nodes the init ops reach: graph nodes by name, function nodes as "function/node". */
    static List<OpNode> of(MetaGraphDef meta) {
        Map<String, NodeDef> nodes = new HashMap<>();
        meta.getGraphDef().getNodeList().forEach(n -> nodes.put(n.getName(), n));
        Map<String, FunctionDef> functions = new HashMap<>();
        meta.getGraphDef().getLibrary().getFunctionList().forEach(f -> functions.put(f.getSignature().getName(), f));
        Deque<String> todo = new ArrayDeque<>(starts(meta));
        Set<String> seen = new HashSet<>();
        Set<String> seenFunctions = new HashSet<>();
        List<OpNode> reached = new ArrayList<>();
        Deque<String> calledFunctions = new ArrayDeque<>();
        while (!todo.isEmpty()) {
            NodeDef node = nodes.get(opName(todo.poll()));
            if (node == null || !seen.add(node.getName())) {
                continue;
            }
            reached.add(FunctionBodies.op(node.getName(), node));
            node.getInputList().forEach(input -> todo.add(input.replace("^", "")));
            calledFunctions.addAll(FunctionBodies.called(node));
        }
        while (!calledFunctions.isEmpty()) {
            FunctionDef function = functions.get(calledFunctions.poll());
            if (function == null || !seenFunctions.add(function.getSignature().getName())) {
                continue;
            }
            reached.addAll(FunctionBodies.of(function));
            function.getNodeDefList().forEach(n -> calledFunctions.addAll(FunctionBodies.called(n)));
        }
        return reached;
    }

    private static List<String> starts(MetaGraphDef meta) {
        List<String> starts = new ArrayList<>();
        SignatureDef init = meta.getSignatureDefMap().get(INIT_SIGNATURE);
        if (init != null) {
            init.getOutputsMap().values().forEach(info -> starts.add(info.getName()));
        }
        for (String collection : INIT_COLLECTIONS) {
            CollectionDef def = meta.getCollectionDefMap().get(collection);
            if (def != null) {
                starts.addAll(def.getNodeList().getValueList());
            }
        }
        return starts;
    }

    private static String opName(String tensorOrOp) {
        int colon = tensorOrOp.indexOf(':');
        return colon < 0 ? tensorOrOp : tensorOrOp.substring(0, colon);
    }
}
