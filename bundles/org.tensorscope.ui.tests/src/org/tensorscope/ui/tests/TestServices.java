package org.tensorscope.ui.tests;

import org.eclipse.ui.PlatformUI;

/** The session services as the workbench's context finds them, for tests that drive them directly. */
public final class TestServices {

    private TestServices() {
    }

    public static <T> T get(Class<T> type) {
        T service = PlatformUI.getWorkbench().getService(type);
        if (service == null) {
            throw new IllegalStateException(type.getName() + " is not registered");
        }
        return service;
    }
}
