package org.tensorscope.core.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The ops of a model grouped by name scope ("block1/conv/Conv2D" lives in block1 > conv), for
 * trees and collapsible graph groups. A node is either a scope or an op (an op may also be a
 * scope when other ops are named under it).
 */
public final class ScopeTree {

    private final String name;
    private final String path;
    private final OpNode op;
    private final Map<String, ScopeTree> children = new LinkedHashMap<>();

    private ScopeTree(String name, String path, OpNode op) {
        this.name = name;
        this.path = path;
        this.op = op;
    }

    /** The tree of the ops that pass the filter, in topological order within each scope. */
    public static ScopeTree of(ModelGraph graph, Predicate<OpNode> filter) {
        ScopeTree root = new ScopeTree("", "", null);
        for (OpNode op : graph.ops()) {
            if (!filter.test(op)) {
                continue;
            }
            ScopeTree node = root;
            String[] parts = op.name().split("/");
            StringBuilder path = new StringBuilder();
            for (int i = 0; i < parts.length; i++) {
                path.append(i == 0 ? "" : "/").append(parts[i]);
                String p = path.toString();
                boolean leaf = i == parts.length - 1;
                ScopeTree child = node.children.get(parts[i]);
                if (child == null) {
                    child = new ScopeTree(parts[i], p, leaf ? op : null);
                    node.children.put(parts[i], child);
                } else if (leaf && child.op == null) {
                    ScopeTree withOp = new ScopeTree(parts[i], p, op);
                    withOp.children.putAll(child.children);
                    node.children.put(parts[i], withOp);
                    child = withOp;
                }
                node = child;
            }
        }
        return root;
    }

    /** The last segment of the path. */
    public String name() {
        return name;
    }

    /** The full scope path, e.g. "block1/conv". */
    public String path() {
        return path;
    }

    /** The op at this path, null for a pure scope. */
    public OpNode op() {
        return op;
    }

    public List<ScopeTree> children() {
        return Collections.unmodifiableList(new ArrayList<>(children.values()));
    }

    public boolean hasChildren() {
        return !children.isEmpty();
    }

    /** Number of ops at or under this node. */
    public int opCount() {
        int n = 0;
        java.util.Deque<ScopeTree> pending = new java.util.ArrayDeque<>();
        pending.push(this);
        while (!pending.isEmpty()) { // iterative: a name may nest scopes thousands deep
            ScopeTree node = pending.pop();
            n += node.op == null ? 0 : 1;
            node.children.values().forEach(pending::push);
        }
        return n;
    }
}
