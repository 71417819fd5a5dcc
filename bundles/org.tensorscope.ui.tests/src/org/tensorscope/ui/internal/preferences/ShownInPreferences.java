package org.tensorscope.ui.internal.preferences;

import java.util.Arrays;
import java.util.List;

/** The preference pages' contents, read from this test fragment, which shares their package. */
public final class ShownInPreferences {

    private ShownInPreferences() {
    }

    /** The Extensions page's rows, each as kind, name, bundle and version. */
    public static List<List<String>> rows(ExtensionsPreferencePage page) {
        return Arrays.stream(page.table.getTable().getItems())
                .map(item -> List.of(item.getText(0), item.getText(1), item.getText(2), item.getText(3)))
                .toList();
    }
}
