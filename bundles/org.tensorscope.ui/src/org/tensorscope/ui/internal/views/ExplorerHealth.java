package org.tensorscope.ui.internal.views;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.eclipse.jface.resource.ImageDescriptor;
import org.eclipse.jface.resource.LocalResourceManager;
import org.eclipse.jface.resource.ResourceManager;
import org.eclipse.jface.viewers.DecorationOverlayIcon;
import org.eclipse.jface.viewers.IDecoration;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.widgets.Control;
import org.tensorscope.core.model.ScopeTree;
import org.tensorscope.core.run.TraceOutcome;
import org.tensorscope.core.trace.TensorHealth;
import org.tensorscope.ui.internal.TensorscopeImages;
import org.tensorscope.ui.internal.graph.NodeHealth;

/**
 * How the Model Explorer marks an op after a run, in the first column so it is seen without
 * scrolling: an overlay on the op's icon (red for where NaN/Inf starts, orange for ops it reached,
 * a check for finite ones), the name in the same colour, and the counts in the tooltip. A scope
 * takes the worst of its ops.
 */
final class ExplorerHealth {

    static final RGB ORIGIN_RGB = new RGB(0xC6, 0x28, 0x28);
    static final RGB PROPAGATED_RGB = new RGB(0xB2, 0x5E, 0x00);

    private final ResourceManager resources;
    private final Map<String, NodeHealth> ops = new HashMap<>();
    private final Map<ScopeTree, NodeHealth> scopes = new HashMap<>();
    /** Icons by name and overlay: finding one in the bundle checks files, for every label drawn. */
    private final Map<String, ImageDescriptor> icons = new HashMap<>();
    private TraceOutcome shown;

    ExplorerHealth(Control owner) {
        resources = new LocalResourceManager(org.eclipse.jface.resource.JFaceResources.getResources(), owner);
    }

    /** Recomputes the health after a run (or none); false when it is the run already shown. */
    boolean update(Optional<TraceOutcome> outcome) {
        if (outcome.orElse(null) == shown) {
            return false;
        }
        shown = outcome.orElse(null);
        ops.clear();
        scopes.clear();
        if (shown == null) {
            return true;
        }
        Set<String> origins = new HashSet<>();
        shown.origin().ifPresent(o -> {
            origins.add(o.op().name());
            o.others().forEach(row -> origins.add(row.opName()));
        });
        for (TensorHealth row : shown.trace().rows()) {
            NodeHealth health = origins.contains(row.opName()) ? NodeHealth.ORIGIN
                    : row.isFinite() ? NodeHealth.FINITE : NodeHealth.PROPAGATED;
            ops.merge(row.opName(), health, (a, b) -> a.compareTo(b) >= 0 ? a : b);
        }
        return true;
    }

    /** An op's own health, or for a scope the worst of what it holds (an op can hold ops too: a fused op's parts). */
    NodeHealth of(ScopeTree node) {
        NodeHealth own = own(node);
        if (!node.hasChildren()) {
            return own;
        }
        NodeHealth known = scopes.get(node);
        if (known != null) {
            return known;
        }
        NodeHealth worst = own;
        for (ScopeTree child : node.children()) {
            NodeHealth h = of(child);
            worst = h.compareTo(worst) > 0 ? h : worst;
        }
        scopes.put(node, worst);
        return worst;
    }

    /** The health of the node's own op (NOT_RUN for a scope). */
    NodeHealth own(ScopeTree node) {
        return node.op() == null ? NodeHealth.NOT_RUN : ops.getOrDefault(node.op().name(), NodeHealth.NOT_RUN);
    }

    Image image(ScopeTree node) {
        return icon(node.op() != null, of(node));
    }

    /**
     * Makes the icon of a scope and of an op for every health now: read from the bundle and
     * composed at the first fill of the tree, they were a part of the UI thread's longest stall as
     * the first model opened. Called when the view's content is built, before any model.
     */
    void makeIcons() {
        for (NodeHealth health : NodeHealth.values()) {
            icon(false, health);
            icon(true, health);
        }
    }

    private Image icon(boolean op, NodeHealth health) {
        String base = op ? "op" : "view_explorer";
        String overlay = switch (health) {
            case ORIGIN -> "ovr_origin";
            case PROPAGATED -> "ovr_propagated";
            case FINITE -> op ? "ovr_finite" : null;
            case NOT_RUN -> null;
        };
        ImageDescriptor icon = icons.computeIfAbsent(base + "+" + overlay, key -> overlay == null
                ? TensorscopeImages.descriptor(base)
                : new DecorationOverlayIcon(TensorscopeImages.descriptor(base), TensorscopeImages.descriptor(overlay),
                        IDecoration.BOTTOM_RIGHT));
        return resources.create(icon);
    }

    Color foreground(ScopeTree node) {
        return switch (of(node)) {
            case ORIGIN -> resources.create(org.eclipse.jface.resource.ColorDescriptor.createFrom(ORIGIN_RGB));
            case PROPAGATED -> resources.create(org.eclipse.jface.resource.ColorDescriptor.createFrom(PROPAGATED_RGB));
            default -> null;
        };
    }

    /** "Where NaN/Inf starts: NaN 0, -Inf 0, +Inf 12 of 4096" and the like; null before a run. */
    String tooltip(ScopeTree node) {
        NodeHealth health = node.op() == null ? of(node) : own(node);
        if (health == NodeHealth.NOT_RUN) {
            return null;
        }
        String what = switch (health) {
            case ORIGIN -> "NaN/Inf starts here";
            case PROPAGATED -> node.op() == null ? "NaN/Inf reaches ops in this scope" : "NaN/Inf reaches this op";
            default -> node.op() == null ? "every op in this scope is finite" : "finite";
        };
        if (node.op() == null || shown == null) {
            return node.path() + ": " + what;
        }
        String inside = of(node) == NodeHealth.ORIGIN && health != NodeHealth.ORIGIN
                ? "\nNaN/Inf starts in an op it holds" : "";
        return shown.trace().row(node.op().name()).map(row -> node.op().name() + ": " + what  + "\nNaN " + TensorHealth.countText(row.nanCount())
                + ", -Inf " + TensorHealth.countText(row.negInfCount()) + ", +Inf " + TensorHealth.countText(row.posInfCount())
                + " of " + row.elements() + " values" + inside)
                .orElse(node.op().name() + ": " + what + inside);
    }
}
