package org.tensorscope.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.core.runtime.ILog;
import org.eclipse.core.runtime.ILogListener;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.jface.preference.IPreferenceStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tensorscope.ui.api.TensorscopePreferences;

/** The preferences keep no state of their own: a value they cannot understand is replaced by its default. */
class PreferencesTest {

    @AfterEach
    void defaults() {
        TensorscopePreferences.store().setToDefault(TensorscopePreferences.HISTOGRAM_BINS);
    }

    @Test
    void aValueNotUnderstoodIsReplacedByItsDefaultWithOneNotice() {
        List<IStatus> logged = new CopyOnWriteArrayList<>();
        ILogListener listener = (status, plugin) -> logged.add(status);
        ILog log = ILog.of(TensorscopePreferences.class);
        log.addLogListener(listener);
        try {
            IPreferenceStore store = TensorscopePreferences.store();
            store.setValue(TensorscopePreferences.HISTOGRAM_BINS, "many");
            assertEquals(30, TensorscopePreferences.histogramBins(), "the default holds");
            assertEquals(30, TensorscopePreferences.histogramBins());
            assertTrue(TensorscopePreferences.store().isDefault(TensorscopePreferences.HISTOGRAM_BINS),
                    "the value was replaced by the default");
            List<String> notices = logged.stream().map(IStatus::getMessage).filter(m -> m.contains("histogramBins")).toList();
            assertEquals(List.of("Tensorscope preference histogramBins: 'many' is not a positive whole number;"
                    + " using the default 30"), notices, "one notice, naming the preference, the value and the default");
            assertEquals(IStatus.WARNING, logged.get(0).getSeverity());
        } finally {
            log.removeLogListener(listener);
        }
    }
}
