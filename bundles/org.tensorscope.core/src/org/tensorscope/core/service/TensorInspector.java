package org.tensorscope.core.service;

import org.tensorscope.core.model.TensorSpec;
import org.tensorscope.core.tensor.TensorData;

/**
 * Adds a way of looking at a tensor (a tab of the Tensor Inspector, a section of a report).
 * Contributed as an OSGi service with {@link org.tensorscope.core.Tensorscope#PROP_DISPLAY_NAME}.
 */
public interface TensorInspector {

    /** The tab title, e.g. "Sparsity". */
    String label();

    boolean appliesTo(TensorSpec tensor);

    Inspection inspect(TensorData tensor);
}
