package org.tensorscope.core.service;

/**
 * One contributed service as a user sees it in Preferences > Tensorscope > Extensions: what kind
 * it is, its name, and the bundle that contributes it.
 */
public record InstalledContribution(Kind kind, String name, String bundleSymbolicName, String bundleVersion) {

    /** The four kinds of contribution, by their service interface. */
    public enum Kind {
        LOADER("Model loader"), BACKEND("Backend"), INSPECTOR("Tensor inspector"), CAUSE_RULE("NaN cause rule");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }
}
