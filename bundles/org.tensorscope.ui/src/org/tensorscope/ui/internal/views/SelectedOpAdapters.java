package org.tensorscope.ui.internal.views;

import org.eclipse.core.runtime.IAdapterFactory;
import org.tensorscope.core.compare.TensorPair;
import org.tensorscope.core.model.ScopeTree;
import org.tensorscope.ui.api.SelectedOp;

/**
 * What the Tensorscope views put in the workbench's selection, as the op it names: a Model Explorer
 * node that is an op, a Compare row (side A's tensor).
 */
public final class SelectedOpAdapters implements IAdapterFactory {

    @Override
    public <T> T getAdapter(Object adaptable, Class<T> adapterType) {
        if (adapterType != SelectedOp.class) {
            return null;
        }
        SelectedOp named = switch (adaptable) {
            case ScopeTree node when node.op() != null -> new SelectedOp(node.op().name());
            case TensorPair pair -> new SelectedOp(pair.opA(), pair.tensorA());
            default -> null;
        };
        return adapterType.cast(named);
    }

    @Override
    public Class<?>[] getAdapterList() {
        return new Class<?>[] {SelectedOp.class};
    }
}
