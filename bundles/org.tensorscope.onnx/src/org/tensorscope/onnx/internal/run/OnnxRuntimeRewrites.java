package org.tensorscope.onnx.internal.run;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.tensorscope.core.model.TensorSpec;
import org.tensorscope.core.service.RuntimeRewrite;
import org.tensorscope.onnx.internal.TensorNames;
import org.tensorscope.onnx.internal.load.OnnxAttribute;
import org.tensorscope.onnx.internal.load.OnnxGraph;
import org.tensorscope.onnx.internal.load.OnnxNode;

/**
 * Reads what ONNX Runtime's graph optimisations did to a file from the graph it optimised it into: the nodes it
 * added ({@code FusedMatMul} for a Mul and a MatMul, a {@code LayerNormalization} for nine ops, a convolution of its
 * blocked layout with its Relu inside), each with the file's ops it computes instead. Nodes added together (a
 * convolution and the reorders around it) are one rewrite; the ops it replaces are those between the values it reads
 * and the file's values it makes. Nodes only removed (an Identity) change no value and are not listed.
 */
final class OnnxRuntimeRewrites {

    /** Ops of the file walked back from one rewrite's outputs at most: a fusion replaces a handful. */
    private static final int MAX_REPLACED = 64;
    private static final Set<String> LAYOUT_ONLY = Set.of("ReorderInput", "ReorderOutput");
    /** Ops that pass their input on, which the optimiser removes: replaced, but named in no rewrite. */
    private static final Set<String> PASSING_ON = Set.of("Identity", "Dropout");

    private OnnxRuntimeRewrites() {
    }

    static List<RuntimeRewrite> of(OnnxGraph file, OnnxGraph optimised, TensorNames names) {
        Map<String, OnnxNode> producers = new HashMap<>();
        Map<OnnxNode, Integer> order = new HashMap<>();
        for (OnnxNode node : file.nodes()) {
            order.put(node, order.size());
            node.outputs().forEach(o -> producers.put(o, node));
        }
        Set<String> optimisedNodes = new HashSet<>();
        optimised.nodes().forEach(n -> optimisedNodes.add(signature(n)));
        Set<String> fileNodes = new HashSet<>();
        file.nodes().forEach(n -> fileNodes.add(signature(n)));
        List<OnnxNode> added = optimised.nodes().stream().filter(n -> !fileNodes.contains(signature(n))).toList();
        List<RuntimeRewrite> rewrites = new ArrayList<>();
        for (List<OnnxNode> group : groups(added, producers)) {
            Set<String> read = new HashSet<>();
            group.forEach(n -> read.addAll(n.inputs()));
            List<String> fileValues = group.stream().flatMap(n -> n.outputs().stream())
                    .filter(producers::containsKey).toList();
            if (fileValues.isEmpty()) {
                continue;
            }
            List<OnnxNode> replaced = replaced(fileValues, read, producers, optimisedNodes);
            if (replaced.isEmpty()) {
                continue;
            }
            replaced.sort((a, b) -> Integer.compare(order.get(a), order.get(b)));
            List<OnnxNode> computing = replaced.stream().filter(n -> !PASSING_ON.contains(n.opType())).toList();
            if (computing.isEmpty()) {
                continue;
            }
            OnnxNode last = computing.get(computing.size() - 1);
            String op = names.tensorName(last.outputs().get(0)).map(TensorSpec::opNameOf).orElse(last.name());
            rewrites.add(new RuntimeRewrite(op, kernel(group), computing.stream().map(OnnxNode::opType).toList()));
        }
        return rewrites;
    }

    /**
     * A node of the optimised graph is the file's own when the file has one of the same type and operator set making
     * the same values (names are optional in ONNX, and often empty).
     */
    private static String signature(OnnxNode node) {
        String domain = node.domain().equals("ai.onnx") ? "" : node.domain();
        return node.opType() + "\u0000" + domain + "\u0000" + String.join("\u0000", node.outputs());
    }

    /** Added nodes joined by values the file does not have (a reorder's output feeding a convolution). */
    private static List<List<OnnxNode>> groups(List<OnnxNode> added, Map<String, OnnxNode> producers) {
        Map<String, Integer> groupOfValue = new HashMap<>();
        List<List<OnnxNode>> groups = new ArrayList<>();
        Map<OnnxNode, Integer> groupOf = new LinkedHashMap<>();
        for (OnnxNode node : added) {
            Integer group = null;
            for (String input : node.inputs()) {
                Integer producer = producers.containsKey(input) ? null : groupOfValue.get(input);
                if (producer != null) {
                    group = group == null ? producer : merge(groups, groupOf, groupOfValue, group, producer);
                }
            }
            if (group == null) {
                group = groups.size();
                groups.add(new ArrayList<>());
            }
            groups.get(group).add(node);
            groupOf.put(node, group);
            for (String output : node.outputs()) {
                groupOfValue.put(output, group);
            }
        }
        return groups.stream().filter(g -> !g.isEmpty()).toList();
    }

    private static int merge(List<List<OnnxNode>> groups, Map<OnnxNode, Integer> groupOf,
            Map<String, Integer> groupOfValue, int into, int from) {
        if (into == from) {
            return into;
        }
        for (OnnxNode node : groups.get(from)) {
            groups.get(into).add(node);
            groupOf.put(node, into);
            node.outputs().forEach(o -> groupOfValue.put(o, into));
        }
        groups.get(from).clear();
        return into;
    }

    /** The file's ops between the values a rewrite reads and those it makes, that the optimised graph no longer has. */
    private static List<OnnxNode> replaced(List<String> made, Set<String> read, Map<String, OnnxNode> producers,
            Set<String> optimisedNodes) {
        List<OnnxNode> replaced = new ArrayList<>();
        Set<OnnxNode> seen = new HashSet<>();
        Deque<String> values = new ArrayDeque<>(made);
        while (!values.isEmpty() && replaced.size() < MAX_REPLACED) {
            String value = values.pop();
            OnnxNode producer = producers.get(value);
            if (read.contains(value) && !made.contains(value) || producer == null
                    || optimisedNodes.contains(signature(producer)) || !seen.add(producer)) {
                continue;
            }
            replaced.add(producer);
            values.addAll(producer.inputs());
        }
        return replaced;
    }

    /** "com.microsoft.FusedMatMul", "com.microsoft.nchwc.Conv with activation Relu". */
    private static String kernel(List<OnnxNode> group) {
        List<String> kernels = new ArrayList<>();
        for (OnnxNode node : group) {
            if (LAYOUT_ONLY.contains(node.opType()) && group.size() > 1) {
                continue;
            }
            String domain = node.domain().isEmpty() || node.domain().equals("ai.onnx") ? "" : node.domain() + ".";
            String activation = node.attributes().stream().filter(a -> a.name().equals("activation"))
                    .map(OnnxAttribute::summary).findFirst().map(a -> " with activation " + a.replace("\"", ""))
                    .orElse("");
            kernels.add(domain + node.opType() + activation);
        }
        return String.join("+", kernels);
    }
}
