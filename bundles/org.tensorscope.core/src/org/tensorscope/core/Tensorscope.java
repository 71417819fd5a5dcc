package org.tensorscope.core;

import java.util.Optional;

/**
 * Facts about this build of Tensorscope, and the names shared by its bundles.
 */
public final class Tensorscope {

    /** The product name as users see it. */
    public static final String NAME = "Tensorscope";

    /** Component property naming the model format a {@code ModelLoader} reads, e.g. "TF.js graph model". */
    public static final String PROP_FORMAT = "tensorscope.format";

    /** Component property listing the file name patterns a {@code ModelLoader} accepts, e.g. "*.pb". */
    public static final String PROP_FILE_PATTERNS = "tensorscope.filePatterns";

    /** Component property naming a contribution as users see it. */
    public static final String PROP_DISPLAY_NAME = "tensorscope.displayName";

    private Tensorscope() {
    }

    /**
     * The version of the core bundle, e.g. "0.1.0.202611221230"; "development" when run outside OSGi.
     */
    public static String version() {
        return Optional.ofNullable(org.osgi.framework.FrameworkUtil.getBundle(Tensorscope.class))
                .map(b -> b.getVersion().toString())
                .orElse("development");
    }
}
