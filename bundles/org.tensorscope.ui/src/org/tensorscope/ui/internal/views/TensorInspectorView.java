package org.tensorscope.ui.internal.views;

import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import org.eclipse.jface.action.Action;
import org.eclipse.jface.action.IToolBarManager;
import org.eclipse.jface.dialogs.InputDialog;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.window.Window;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.CTabFolder;
import org.eclipse.swt.custom.CTabItem;
import org.eclipse.swt.dnd.Clipboard;
import org.eclipse.swt.dnd.TextTransfer;
import org.eclipse.swt.dnd.Transfer;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.FileDialog;
import org.osgi.framework.FrameworkUtil;
import org.tensorscope.core.analysis.TensorStats;
import org.tensorscope.core.input.Npy;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.OpNode;
import org.tensorscope.core.model.TensorSpec;
import org.tensorscope.core.model.UndefinedOutputs;
import org.tensorscope.core.report.Numbers;
import org.tensorscope.core.tensor.TensorCsv;
import org.tensorscope.core.run.AnalysedTensor;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.core.tensor.TensorEdits;
import org.tensorscope.core.tensor.TensorSlice;
import org.tensorscope.core.trace.TensorHealth;
import org.tensorscope.ui.api.FocusedTensorView;
import org.tensorscope.ui.api.TextLine;
import org.tensorscope.ui.internal.TensorscopeImages;
import org.tensorscope.ui.internal.session.DebugSession;
import org.tensorscope.ui.internal.tensor.Heatmap;
import org.tensorscope.ui.internal.tensor.SliceControls;
import org.tensorscope.ui.internal.tensor.ValuesGrid;

/**
 * The focused op's output: shape, type, statistics; a grid of a 2-D slice (rows and columns
 * chosen among its axes, the other axes indexed) with NaN/Inf cells highlighted, and the same
 * slice as an image. Copy, export .npy/.csv, edit a value or clip the tensor and run on from it.
 * Installed {@link org.tensorscope.core.service.TensorInspector}s add tabs beside these.
 */
public class TensorInspectorView extends FocusedTensorView {

    TextLine header;
    private ModelGraph undefinedOf;
    private Map<String, String> undefined = Map.of();
    TextLine stats; // package-private: the test fragment reads it
    /** How often the statistics line was set. */
    int statsShown;
    SliceControls sliceControls;
    ValuesGrid grid;
    Heatmap heatmap;
    CTabFolder tabs;
    ContributedInspectorTabs contributed;
    TensorData shown;
    private final List<Action> valueActions = new ArrayList<>();

    @Override
    protected void createContent(Composite parent) {
        Composite area = new Composite(parent, SWT.NONE);
        area.setLayout(new GridLayout(1, false));
        // drawn, not labels: both change on every step, and a label's new text had GTK measure it
        // and lay out the window's path to it again
        header = new TextLine(area, 1);
        header.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        // two lines whatever the text: a height that changed from one op to the next resized the
        // values grid below
        stats = new TextLine(area, 2);
        stats.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        sliceControls = new SliceControls(area, this::showSlice);
        GridData sliceData = new GridData(SWT.FILL, SWT.CENTER, true, false);
        sliceData.heightHint = sliceControls.height();
        sliceControls.control().setLayoutData(sliceData);
        tabs = new CTabFolder(area, SWT.BOTTOM | SWT.BORDER);
        tabs.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        grid = new ValuesGrid(tabs, this::editValue);
        CTabItem values = new CTabItem(tabs, SWT.NONE);
        values.setText("Values");
        values.setControl(grid.control());
        heatmap = new Heatmap(tabs);
        CTabItem image = new CTabItem(tabs, SWT.NONE);
        image.setText("Image");
        image.setControl(heatmap.control());
        tabs.setSelection(values);
        grid.control().addListener(SWT.KeyDown, e -> {
            if (e.keyCode == 'c' && (e.stateMask & SWT.MOD1) != 0) {
                copy();
            }
        });
        contributed = new ContributedInspectorTabs(
                FrameworkUtil.getBundle(TensorInspectorView.class).getBundleContext(), tabs);
        contributed.open();
        IToolBarManager toolBar = getViewSite().getActionBars().getToolBarManager();
        toolBar.add(valueAction("Copy", "Copy the slice shown, tab-separated (Ctrl+C)", "copy", this::copy));
        toolBar.add(valueAction("Export .npy…", "Save the whole tensor as a NumPy file", "export", this::exportNpy));
        toolBar.add(valueAction("Export .csv…", "Save the slice shown as CSV", "export", this::exportCsv));
        toolBar.add(valueAction("Clip to Range…", "Clip every value of this tensor and run on from it", "clip", this::clip));
        toolBar.add(valueAction("Clear Edits", "Forget edited and clipped tensors and run again", "clear_edits", () -> {
            DebugSession session = service(DebugSession.class);
            session.clearOverrides();
            session.rerun();
        }));
        valueActions.forEach(a -> a.setEnabled(false));
    }

    private Action valueAction(String text, String tip, String icon, Runnable run) {
        Action action = new Action(text) {
            @Override
            public void run() {
                run.run();
            }
        };
        action.setToolTipText(tip);
        action.setImageDescriptor(TensorscopeImages.descriptor(icon));
        valueActions.add(action);
        return action;
    }

    @Override
    public void dispose() {
        if (contributed != null) {
            contributed.close();
        }
        super.dispose();
    }

    @Override
    protected void showOp(OpNode node, TensorSpec output) {
        DebugSession session = service(DebugSession.class);
        boolean edited = session.overrides().containsKey(output.name());
        String undefined = undefinedOutputs().get(output.name());
        header.setText(output.name() + "  " + node.type() + "  " + output.dtype().displayName() + " " + output.shape()
                + (edited ? "  (edited: the run used your values)" : "")
                + (undefined == null ? "" : "  (" + undefined + ")"));
        contributed.showOp(output);
    }

    /** The outputs of the model shown whose values mean nothing (see {@link UndefinedOutputs}), found once per model. */
    private Map<String, String> undefinedOutputs() {
        ModelGraph graph = runState().graph().orElse(null);
        if (graph != undefinedOf) {
            undefinedOf = graph;
            undefined = graph == null ? Map.of() : UndefinedOutputs.of(graph);
        }
        return undefined;
    }

    /** Until the values come, the statistics line gives the trace's counts. */
    @Override
    protected void showFetching(OpNode node, TensorSpec output) {
        service(DebugSession.class).outcome().flatMap(o -> o.trace().row(output.name())).ifPresent(row -> showStats(
                String.format(Locale.ROOT, "NaN %s   -Inf %s   +Inf %s   min %s   max %s   mean %s   on %s",
                        TensorHealth.countText(row.nanCount()), TensorHealth.countText(row.negInfCount()),
                        TensorHealth.countText(row.posInfCount()), Numbers.format(row.min()), Numbers.format(row.max()),
                        Numbers.format(row.mean()), row.device())));
    }

    /** Sets the statistics line; counted, so that a test can tell that a step sets it once. */
    private void showStats(String text) {
        stats.setText(text);
        statsShown++;
    }

    @Override
    protected void showNothing(String why) {
        shown = null;
        header.setText(why);
        showStats("");
        grid.clear();
        heatmap.clear();
        valueActions.forEach(a -> a.setEnabled(false));
        contributed.showNothing(why);
    }

    @Override
    protected void showValues(AnalysedTensor analysed) {
        TensorData data = analysed.data();
        shown = data;
        TensorStats s = analysed.stats();
        showStats(String.format(Locale.ROOT, "count %d   NaN %d   -Inf %d   +Inf %d   zeros %d   min %s   max %s   mean %s   std %s",
                s.count(), s.nan(), s.negInf(), s.posInf(), s.zeros(), Numbers.format(s.min()), Numbers.format(s.max()),
                Numbers.format(s.mean()), Numbers.format(s.std())));
        showSlice(sliceControls.show(data.shape()));
        valueActions.forEach(a -> a.setEnabled(true));
        contributed.showValues(data);
    }

    private void showSlice(TensorSlice slice) {
        if (shown != null && shown.size() == 0) {
            grid.clear();
            heatmap.clear();
        } else if (shown != null) {
            grid.show(shown, slice);
            heatmap.show(shown, slice);
        }
    }

    private void copy() {
        if (shown == null) {
            return;
        }
        StringWriter text = new StringWriter();
        try {
            TensorCsv.write(shown, sliceControls.slice(), '\t', text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Clipboard clipboard = new Clipboard(grid.control().getDisplay());
        try {
            clipboard.setContents(new Object[] {text.toString()}, new Transfer[] {TextTransfer.getInstance()});
        } finally {
            clipboard.dispose();
        }
    }

    private void exportNpy() {
        Path file = chooseFile("*.npy", ".npy");
        if (file != null) {
            try {
                Npy.write(shown, file);
            } catch (IOException e) {
                MessageDialog.openError(getSite().getShell(), "Export .npy", file + ": " + e.getMessage());
            }
        }
    }

    private void exportCsv() {
        Path file = chooseFile("*.csv", ".csv");
        if (file != null) {
            try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                TensorCsv.write(shown, sliceControls.slice(), ',', out);
            } catch (IOException e) {
                MessageDialog.openError(getSite().getShell(), "Export .csv", file + ": " + e.getMessage());
            }
        }
    }

    private Path chooseFile(String filter, String extension) {
        if (shown == null) {
            return null;
        }
        FileDialog dialog = new FileDialog(getSite().getShell(), SWT.SAVE);
        dialog.setFilterExtensions(new String[] {filter});
        dialog.setFileName(shown.name().replaceAll("[/:]", "_") + extension);
        dialog.setOverwrite(true);
        String chosen = dialog.open();
        return chosen == null ? null : Path.of(chosen);
    }

    private void editValue(long index, double current) {
        TensorData tensor = shown;
        InputDialog dialog = new InputDialog(getSite().getShell(), "Edit Value",
                "New value of " + tensor.name() + " at " + Arrays.toString(tensor.position(index))
                        + "; the run goes on from the edited tensor:",
                Double.toString(current), text -> parses(text) ? null : "Type a number, e.g. 0.5, 1e-3, nan or inf");
        Object run = service(DebugSession.class).outcome().orElse(null);
        if (dialog.open() == Window.OK) {
            continueWith(run, () -> TensorEdits.withValue(tensor, index, parse(dialog.getValue())));
        }
    }

    private void clip() {
        if (shown == null) {
            return;
        }
        TensorData tensor = shown;
        InputDialog dialog = new InputDialog(getSite().getShell(), "Clip to Range",
                "Clip every value of " + tensor.name() + " to LO:HI (e.g. 0:255 for pixels, 0:1 after scaling);"
                        + " the run goes on from the clipped tensor:",
                "0:255", text -> range(text) != null ? null : "Type the range as LO:HI with LO <= HI, e.g. 0:255");
        Object run = service(DebugSession.class).outcome().orElse(null);
        if (dialog.open() == Window.OK) {
            double[] range = range(dialog.getValue());
            continueWith(run, () -> TensorEdits.clipped(tensor, range[0], range[1]));
        }
    }

    private void continueWith(Object run, Supplier<TensorData> edit) {
        if (service(DebugSession.class).outcome().orElse(null) != run) {
            MessageDialog.openInformation(getSite().getShell(), "Edit Tensor",
                    "The model ran again or another model opened while you typed; nothing was changed.");
            return;
        }
        try {
            service(DebugSession.class).continueWith(edit.get());
        } catch (IllegalArgumentException e) {
            MessageDialog.openError(getSite().getShell(), "Edit Tensor", e.getMessage());
        }
    }

    private static boolean parses(String text) {
        try {
            parse(text);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static double parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "nan" -> Double.NaN;
            case "inf", "+inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text.trim());
        };
    }

    /** LO:HI as two numbers, null when it is not a range. */
    static double[] range(String text) {
        String[] parts = text.split(":");
        if (parts.length != 2) {
            return null;
        }
        try {
            double lo = Double.parseDouble(parts[0].trim());
            double hi = Double.parseDouble(parts[1].trim());
            return lo <= hi ? new double[] {lo, hi} : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
