package org.tensorscope.ui.api;

import java.util.Optional;

import org.eclipse.core.runtime.Adapters;
import org.eclipse.jface.viewers.ISelection;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.viewers.StructuredSelection;

/**
 * An op (and optionally which of its outputs) as a view puts it in the workbench's selection: the
 * views that show the op in focus (Tensor Inspector, Histogram, Graph) follow it through the
 * selection service. Elements of other types name an op when they adapt to this type (the Model
 * Explorer's ops, the Compare view's tensor pairs, the Breakpoints view's op breakpoints do).
 *
 * @param op the op's name
 * @param tensor the output in focus, e.g. "split:1"; null for the op's first
 */
public record SelectedOp(String op, String tensor) {

    public SelectedOp {
        if (op == null || op.isEmpty()) {
            throw new IllegalArgumentException("a selected op needs a name");
        }
    }

    public SelectedOp(String op) {
        this(op, null);
    }

    /** The output in focus when it is not the op's first. */
    public Optional<String> output() {
        return Optional.ofNullable(tensor);
    }

    /** This op as a selection. */
    public IStructuredSelection asSelection() {
        return new StructuredSelection(this);
    }

    /** The op a selection names: its first element, when it is or adapts to a {@link SelectedOp}. */
    public static Optional<SelectedOp> in(ISelection selection) {
        if (selection instanceof IStructuredSelection structured && !structured.isEmpty()) {
            return Optional.ofNullable(Adapters.adapt(structured.getFirstElement(), SelectedOp.class));
        }
        return Optional.empty();
    }
}
