package org.tensorscope.ui.internal.preferences;

import org.eclipse.jface.preference.BooleanFieldEditor;
import org.eclipse.jface.preference.ComboFieldEditor;
import org.eclipse.jface.preference.DirectoryFieldEditor;
import org.eclipse.jface.preference.FieldEditorPreferencePage;
import org.eclipse.jface.preference.IntegerFieldEditor;
import org.eclipse.ui.IWorkbench;
import org.eclipse.ui.IWorkbenchPreferencePage;
import org.tensorscope.ui.api.TensorscopePreferences;

/**
 * Window > Preferences > Tensorscope.
 */
public class TensorscopePreferencePage extends FieldEditorPreferencePage implements IWorkbenchPreferencePage {

    public TensorscopePreferencePage() {
        super(GRID);
        setDescription("How Tensorscope runs models and shows tensors.");
    }

    @Override
    public void init(IWorkbench workbench) {
        setPreferenceStore(TensorscopePreferences.store());
    }

    @Override
    protected void createFieldEditors() {
        addField(new ComboFieldEditor(TensorscopePreferences.DEVICE, "Default &device:",
                new String[][] { { "CPU", "cpu" }, { "GPU (CPU when none is visible)", "gpu" } }, getFieldEditorParent()));
        addField(new ComboFieldEditor(TensorscopePreferences.HEALTH_MODE, "&Health check per tensor:",
                new String[][] { { "Full: NaN/Inf counts, finite min, max, mean, zeros", "full" },
                        { "Concise: NaN/Inf counts", "concise" }, { "Curt: only whether NaN/Inf is present", "curt" } },
                getFieldEditorParent()));
        IntegerFieldEditor bins = new IntegerFieldEditor(TensorscopePreferences.HISTOGRAM_BINS, "Histogram &bins:",
                getFieldEditorParent());
        bins.setValidRange(1, 1000);
        addField(bins);
        IntegerFieldEditor memory = new IntegerFieldEditor(TensorscopePreferences.TENSOR_MEMORY_MB,
                "&Memory for tensor values (MB):", getFieldEditorParent());
        memory.setValidRange(16, 65536);
        addField(memory);
        addField(new BooleanFieldEditor(TensorscopePreferences.WARM_UP,
                "&Warm up a model in the background after it opens, so that its first run is fast", getFieldEditorParent()));
        addField(new DirectoryFieldEditor(TensorscopePreferences.JAVACPP_CACHE,
                "&Native library cache (takes effect at the next start; empty: ~/.cache/tensorscope):",
                getFieldEditorParent()));
    }
}
