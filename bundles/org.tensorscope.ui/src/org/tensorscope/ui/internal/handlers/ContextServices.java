package org.tensorscope.ui.internal.handlers;

import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.commands.ExecutionException;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.handlers.HandlerUtil;
import org.eclipse.ui.services.IServiceLocator;

/**
 * The session services as a command's context finds them: through the active window's service
 * locator (its e4 context, which finds OSGi services), else the workbench's.
 */
final class ContextServices {

    private ContextServices() {
    }

    static <T> T of(ExecutionEvent event, Class<T> type) throws ExecutionException {
        IWorkbenchWindow window = HandlerUtil.getActiveWorkbenchWindow(event);
        IServiceLocator locator = window != null ? window : PlatformUI.getWorkbench();
        T service = locator.getService(type);
        if (service == null) {
            throw new ExecutionException(type.getSimpleName() + " is not available: is org.tensorscope.ui started?");
        }
        return service;
    }
}
