package org.tensorscope.onnx.internal.run;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.tensorscope.core.model.TensorSpec;
import org.tensorscope.core.service.RuntimeRewrite;
import org.tensorscope.onnx.internal.TensorNames;
import org.tensorscope.onnx.internal.load.OnnxAttribute;
import org.tensorscope.onnx.internal.load.OnnxGraph;
import org.tensorscope.onnx.internal.load.OnnxNode;
import org.tensorscope.onnx.internal.load.OnnxValueInfo;
import org.tensorscope.onnx.internal.load.StoredTensor;

/**
 * Reads what ONNX Runtime's graph optimisations did to a file from the graph it optimised it into: the nodes it
 * added ({@code FusedMatMul} for a Mul and a MatMul, a {@code LayerNormalization} for nine ops, a convolution of its
 * blocked layout with its Relu inside, a Conv that took over the BatchNormalization after it), each with the file's
 * ops it computes instead: those between the file's values it makes and the nearest file values the optimised graph
 * still has. A node of the same type making the same values, or of the same name and type, is the file's own (see
 * {@link #fileNode}). Nodes only removed (an Identity, a Constant folded into a weight), reshapes and transposes the
 * optimiser adds, and a node that only took the name of a value (a Relu writing what a removed Identity wrote) change
 * no value and are named in no rewrite.
 */
final class OnnxRuntimeRewrites {

    /** Ops of the file walked back from one rewrite's outputs at most: a fusion replaces a handful. */
    private static final int MAX_REPLACED = 64;
    private static final Set<String> LAYOUT_ONLY = Set.of("ReorderInput", "ReorderOutput");
    /** Ops an optimiser adds that move values without computing any (around a blocked-layout Add). */
    private static final Set<String> MOVING_ONLY = Set.of("Reshape", "Transpose", "Squeeze", "Unsqueeze", "Identity");
    /** Ops replaced without computing anything of their own. */
    private static final Set<String> NOT_NAMED = Set.of("Identity", "Dropout", "Constant");
    /** A node of the blocked layout is named after the file's value it computes: "relu_0.tmp_0_nchwc". */
    private static final Pattern BLOCKED_LAYOUT = Pattern.compile("(.+)_nchwc(_\\d+)?");

    private OnnxRuntimeRewrites() {
    }

    static List<RuntimeRewrite> of(OnnxGraph file, OnnxGraph optimised, TensorNames names) {
        Map<String, OnnxNode> producers = new HashMap<>();
        Map<OnnxNode, Integer> order = new HashMap<>();
        Map<String, OnnxNode> bySignature = new HashMap<>();
        Map<String, OnnxNode> byName = new HashMap<>();
        for (OnnxNode node : file.nodes()) {
            order.put(node, order.size());
            // an empty name is a left-out optional output, made by no one
            node.outputs().stream().filter(o -> !o.isEmpty()).forEach(o -> producers.put(o, node));
            bySignature.put(signature(node), node);
            if (!node.name().isEmpty()) {
                byName.put(node.name(), node);
            }
        }
        Set<OnnxNode> kept = new HashSet<>();
        List<OnnxNode> added = new ArrayList<>();
        for (OnnxNode node : optimised.nodes()) {
            Optional<OnnxNode> own = fileNode(node, bySignature, byName, producers);
            own.ifPresentOrElse(kept::add, () -> added.add(node));
        }
        // the file's values the optimised graph still computes or holds, where a rewrite's walk back ends
        Set<String> present = new HashSet<>();
        optimised.inputs().stream().map(OnnxValueInfo::name).forEach(present::add);
        optimised.initializers().stream().map(StoredTensor::name).forEach(present::add);
        for (OnnxNode node : optimised.nodes()) {
            present.addAll(node.outputs());
            blockedValue(node, producers).ifPresent(present::add);
        }
        List<RuntimeRewrite> rewrites = new ArrayList<>();
        for (List<OnnxNode> group : groups(added)) {
            Set<String> made = new HashSet<>();
            for (OnnxNode node : group) {
                node.outputs().stream().filter(producers::containsKey).forEach(made::add);
                blockedValue(node, producers).ifPresent(made::add);
            }
            List<OnnxNode> replaced = replaced(made, present, producers, kept);
            replaced.sort((a, b) -> Integer.compare(order.get(a), order.get(b)));
            List<OnnxNode> computing = replaced.stream().filter(n -> !NOT_NAMED.contains(n.opType())).toList();
            if (computing.isEmpty()) {
                continue;
            }
            String kernel = kernel(group);
            if (computing.size() == 1 && computing.get(0).opType().equals(kernel)) {
                continue; // the same op making a value under another name
            }
            OnnxNode last = computing.get(computing.size() - 1);
            String op = last.outputs().stream().filter(o -> !o.isEmpty()).findFirst().flatMap(names::tensorName)
                    .map(TensorSpec::opNameOf).orElse(last.name());
            rewrites.add(new RuntimeRewrite(op, kernel, computing.stream().map(OnnxNode::opType).toList()));
        }
        return rewrites;
    }

    /** The file's value a node of the blocked layout computes, named in its name. */
    private static Optional<String> blockedValue(OnnxNode node, Map<String, OnnxNode> producers) {
        Matcher blocked = BLOCKED_LAYOUT.matcher(node.name());
        return blocked.matches() && producers.containsKey(blocked.group(1)) ? Optional.of(blocked.group(1))
                : Optional.empty();
    }

    /**
     * The file's node an optimised graph's node is: the one of the same type making the same values, or the one of
     * the same name and type (an Add run on the blocked layout makes values of other names), unless the node makes a
     * value another of the file's nodes makes (a Conv that took over the BatchNormalization after it is a rewrite).
     */
    private static Optional<OnnxNode> fileNode(OnnxNode node, Map<String, OnnxNode> bySignature,
            Map<String, OnnxNode> byName, Map<String, OnnxNode> producers) {
        OnnxNode same = bySignature.get(signature(node));
        if (same != null) {
            return Optional.of(same);
        }
        OnnxNode named = node.name().isEmpty() ? null : byName.get(node.name());
        if (named == null || !named.opType().equals(node.opType()) || !domain(named).equals(domain(node))
                || node.outputs().stream().anyMatch(o -> producers.containsKey(o) && producers.get(o) != named)) {
            return Optional.empty();
        }
        return Optional.of(named);
    }

    private static String domain(OnnxNode node) {
        return node.domain().equals("ai.onnx") ? "" : node.domain();
    }

    /** What identifies a node across the two graphs when names do not: its type and the values it makes. */
    private static String signature(OnnxNode node) {
        return node.opType() + "\u0000" + domain(node) + "\u0000" + String.join("\u0000", node.outputs());
    }

    /**
     * Each added node that computes, with the reorders into and out of the blocked layout that feed it or read it:
     * one rewrite each, also where ONNX Runtime keeps a chain of convolutions in that layout.
     */
    private static List<List<OnnxNode>> groups(List<OnnxNode> added) {
        Map<String, OnnxNode> producers = new HashMap<>();
        Map<String, List<OnnxNode>> readers = new HashMap<>();
        for (OnnxNode node : added) {
            node.outputs().forEach(o -> producers.put(o, node));
            node.inputs().forEach(i -> readers.computeIfAbsent(i, k -> new ArrayList<>()).add(node));
        }
        List<List<OnnxNode>> groups = new ArrayList<>();
        for (OnnxNode node : added) {
            if (LAYOUT_ONLY.contains(node.opType()) || MOVING_ONLY.contains(node.opType()) && domain(node).isEmpty()) {
                continue;
            }
            List<OnnxNode> group = new ArrayList<>();
            for (String input : node.inputs()) {
                OnnxNode producer = producers.get(input);
                if (producer != null && producer.opType().equals("ReorderInput")) {
                    group.add(producer);
                }
            }
            group.add(node);
            for (String output : node.outputs()) {
                readers.getOrDefault(output, List.of()).stream().filter(r -> r.opType().equals("ReorderOutput"))
                        .forEach(group::add);
            }
            groups.add(group);
        }
        return groups;
    }

    /**
     * The file's ops a rewrite computes instead: walking back from the file's values it makes to the nearest ones the
     * optimised graph still has, through ops the optimised graph no longer has.
     */
    private static List<OnnxNode> replaced(Set<String> made, Set<String> present, Map<String, OnnxNode> producers,
            Set<OnnxNode> kept) {
        List<OnnxNode> replaced = new ArrayList<>();
        Set<OnnxNode> seen = new HashSet<>();
        Deque<String> values = new ArrayDeque<>(made);
        while (!values.isEmpty() && replaced.size() < MAX_REPLACED) {
            String value = values.pop();
            OnnxNode producer = producers.get(value);
            if (producer == null || present.contains(value) && !made.contains(value) || !seen.add(producer)
                    || kept.contains(producer)) {
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
            String domain = domain(node).isEmpty() ? "" : domain(node) + ".";
            String activation = node.attributes().stream().filter(a -> a.name().equals("activation"))
                    .map(OnnxAttribute::summary).findFirst().map(a -> " with activation " + a.replace("\"", ""))
                    .orElse("");
            kernels.add(domain + node.opType() + activation);
        }
        return String.join("+", kernels);
    }
}
