/**
 * What the Tensorscope workbench offers the bundles that add views to it ({@code org.tensorscope.ui.charts}
 * and extensions): the session services ({@link org.tensorscope.ui.api.RunState},
 * {@link org.tensorscope.ui.api.TraceFocus}, {@link org.tensorscope.ui.api.TensorValues},
 * {@link org.tensorscope.ui.api.ComparisonState}, {@link org.tensorscope.ui.api.SequenceState}), the op a
 * view puts in the workbench's selection ({@link org.tensorscope.ui.api.SelectedOp},
 * {@link org.tensorscope.ui.api.OpSelectionProvider}), the base
 * classes of views that follow the session ({@link org.tensorscope.ui.api.EmptyStateView},
 * {@link org.tensorscope.ui.api.FocusedTensorView}), a text line that changes without a layout
 * ({@link org.tensorscope.ui.api.TextLine}) and the preferences
 * ({@link org.tensorscope.ui.api.TensorscopePreferences}). Import it with a version range, e.g.
 * {@code org.tensorscope.ui.api;version="[0.1,0.2)"}; docs/extending.md describes it.
 */
package org.tensorscope.ui.api;
