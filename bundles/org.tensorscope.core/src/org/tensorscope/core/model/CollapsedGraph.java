package org.tensorscope.core.model;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A model graph as drawn: each op either stands alone or is folded into the box of its outermost
 * collapsed name scope, and edges join the boxes. Folding keeps a graph of thousands of ops
 * readable and its layout fast.
 */
public final class CollapsedGraph {

    /** A box of the drawing: one op, or a collapsed scope holding {@code opCount} ops. */
    public record Node(String id, String label, String type, OpNode op, String scope, int opCount) {

        public boolean isScope() {
            return scope != null;
        }
    }

    /** Data flows from {@code from} to {@code to}, for {@code tensors} distinct tensors. */
    public record Edge(String from, String to, int tensors) {
    }

    private static final String SCOPE_PREFIX = "scope:";

    private final Set<String> expanded;
    private final Map<String, Node> nodes;
    private final List<Edge> edges;
    private final Map<String, String> nodeOfOp;

    private CollapsedGraph(Set<String> expanded, Map<String, Node> nodes, List<Edge> edges,
            Map<String, String> nodeOfOp) {
        this.expanded = Set.copyOf(expanded);
        this.nodes = nodes;
        this.edges = List.copyOf(edges);
        this.nodeOfOp = nodeOfOp;
    }

    /** Folds every scope not in {@code expandedScopes} (scope paths such as "block1/conv"). */
    public static CollapsedGraph of(ModelGraph graph, Set<String> expandedScopes) {
        ScopeTree tree = ScopeTree.of(graph, op -> true);
        Map<String, String> nodeOfOp = new LinkedHashMap<>();
        Map<String, Node> nodes = new LinkedHashMap<>();
        for (ScopeTree top : tree.children()) {
            fold(top, expandedScopes, nodes, nodeOfOp);
        }
        Map<List<String>, Set<String>> tensorsByLink = new LinkedHashMap<>();
        for (OpNode op : graph.ops()) {
            String to = nodeOfOp.get(op.name());
            for (String input : op.inputs()) {
                String producer = TensorSpec.opNameOf(input);
                String from = nodeOfOp.get(producer);
                if (from != null && !from.equals(to)) {
                    tensorsByLink.computeIfAbsent(List.of(from, to), k -> new HashSet<>()).add(input);
                }
            }
        }
        List<Edge> edges = new ArrayList<>();
        tensorsByLink.forEach((link, tensors) -> edges.add(new Edge(link.get(0), link.get(1), tensors.size())));
        return new CollapsedGraph(expandedScopes, nodes, edges, nodeOfOp);
    }

    /**
     * Expands scopes, outermost first, while the drawing stays within {@code maxNodes} boxes;
     * a scope holding a single op is always expanded, and so is any scope while the drawing has
     * fewer than an eighth of {@code maxNodes} boxes (a model wrapped in one or two scopes).
     */
    public static CollapsedGraph readable(ModelGraph graph, int maxNodes) {
        ScopeTree tree = ScopeTree.of(graph, op -> true);
        Set<String> expandedScopes = new HashSet<>();
        int shown = tree.children().size();
        Deque<ScopeTree> candidates = new ArrayDeque<>();
        candidates.addAll(scopesOf(tree));
        while (!candidates.isEmpty()) {
            ScopeTree scope = candidates.poll();
            int grows = scope.children().size() + (scope.op() == null ? 0 : 1) - 1;
            // a drawing of a handful of boxes says nothing: open the scope even past the limit
            boolean nearlyEmpty = shown < maxNodes / 8;
            if (scope.opCount() > 1 && shown + grows > maxNodes && !nearlyEmpty) {
                continue;
            }
            expandedScopes.add(scope.path());
            shown += grows;
            candidates.addAll(scopesOf(scope));
        }
        return of(graph, expandedScopes);
    }

    /** Every scope path of the graph: expanding them all gives one box per op. */
    public static Set<String> everyScope(ModelGraph graph) {
        Set<String> scopes = new HashSet<>();
        Deque<ScopeTree> pending = new ArrayDeque<>(ScopeTree.of(graph, op -> true).children());
        while (!pending.isEmpty()) {
            ScopeTree node = pending.poll();
            if (node.hasChildren()) {
                scopes.add(node.path());
                pending.addAll(node.children());
            }
        }
        return scopes;
    }

    private static List<ScopeTree> scopesOf(ScopeTree node) {
        return node.children().stream().filter(ScopeTree::hasChildren)
                .sorted(Comparator.comparingInt(ScopeTree::opCount)).toList();
    }

    /** Pre-order, iterative: a name may nest scopes thousands deep. */
    private static void fold(ScopeTree top, Set<String> expandedScopes, Map<String, Node> nodes,
            Map<String, String> nodeOfOp) {
        Deque<ScopeTree> pending = new ArrayDeque<>();
        pending.push(top);
        while (!pending.isEmpty()) {
            ScopeTree node = pending.pop();
            if (node.hasChildren() && !expandedScopes.contains(node.path())) {
                String id = SCOPE_PREFIX + node.path();
                nodes.put(id, new Node(id, node.name(), node.opCount() + " ops", null, node.path(), node.opCount()));
                foldInto(node, id, nodeOfOp);
                continue;
            }
            if (node.op() != null) {
                OpNode op = node.op();
                nodes.put(op.name(), new Node(op.name(), node.name(), op.type(), op, null, 1));
                nodeOfOp.put(op.name(), op.name());
            }
            List<ScopeTree> children = node.children();
            for (int i = children.size() - 1; i >= 0; i--) {
                pending.push(children.get(i));
            }
        }
    }

    private static void foldInto(ScopeTree top, String id, Map<String, String> nodeOfOp) {
        Deque<ScopeTree> pending = new ArrayDeque<>();
        pending.push(top);
        while (!pending.isEmpty()) {
            ScopeTree node = pending.pop();
            if (node.op() != null) {
                nodeOfOp.put(node.op().name(), id);
            }
            node.children().forEach(pending::push);
        }
    }

    public List<Node> nodes() {
        return List.copyOf(nodes.values());
    }

    public Optional<Node> node(String id) {
        return Optional.ofNullable(nodes.get(id));
    }

    public List<Edge> edges() {
        return edges;
    }

    /** The expanded scope paths this drawing was made with. */
    public Set<String> expandedScopes() {
        return expanded;
    }

    /** The id of the box showing an op: the op itself, or the collapsed scope it is folded into. */
    public Optional<String> nodeOf(String opName) {
        return Optional.ofNullable(nodeOfOp.get(opName));
    }

    /** The ops a box stands for. */
    public Set<String> opsOf(String nodeId) {
        Set<String> ops = new LinkedHashSet<>();
        nodeOfOp.forEach((op, node) -> {
            if (node.equals(nodeId)) {
                ops.add(op);
            }
        });
        return ops;
    }

    /** Expanded scopes with {@code scope} and its enclosing scopes expanded or (when expanded) it folded again. */
    public Set<String> toggled(String scope) {
        Set<String> next = new HashSet<>(expanded);
        if (next.contains(scope)) {
            next.removeIf(s -> s.equals(scope) || s.startsWith(scope + "/"));
        } else {
            next.addAll(enclosingScopes(scope));
            next.add(scope);
        }
        return next;
    }

    /** Expanded scopes with every scope around the op expanded, so that the op has its own box. */
    public Set<String> revealing(String opName) {
        Set<String> next = new HashSet<>(expanded);
        next.addAll(enclosingScopes(opName));
        next.add(opName);
        return next;
    }

    /** "a/b/c" is inside "a" and "a/b"; "/a/b" (as ONNX exporters name ops) is inside "" and "/a". */
    private static List<String> enclosingScopes(String path) {
        List<String> scopes = new ArrayList<>();
        int slash = -1;
        while ((slash = path.indexOf('/', slash + 1)) >= 0) {
            scopes.add(path.substring(0, slash));
        }
        return scopes;
    }
}
