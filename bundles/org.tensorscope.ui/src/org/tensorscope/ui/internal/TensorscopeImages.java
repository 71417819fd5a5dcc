package org.tensorscope.ui.internal;

import org.eclipse.jface.action.Action;
import org.eclipse.jface.resource.ImageDescriptor;
import org.eclipse.jface.resource.ResourceLocator;

/**
 * The bundle's icons (icons/NAME.png with its @2x twin, drawn by icons/src/DrawIcons.java).
 */
public final class TensorscopeImages {

    private static final String BUNDLE = "org.tensorscope.ui";

    private TensorscopeImages() {
    }

    public static ImageDescriptor descriptor(String name) {
        return ResourceLocator.imageDescriptorFromBundle(BUNDLE, "icons/" + name + ".png")
                .orElseGet(ImageDescriptor::getMissingImageDescriptor);
    }

    /**
     * A view toolbar action shown as an icon; its tooltip is its text followed by its key, e.g.
     * "Zoom In (+)", so the toolbar says how to do the same from the keyboard.
     */
    public static Action action(String text, String key, String icon, Runnable run) {
        Action action = new Action(text) {
            @Override
            public void run() {
                run.run();
            }
        };
        action.setToolTipText(key == null ? text : text + " (" + key + ")");
        action.setImageDescriptor(descriptor(icon));
        return action;
    }
}
