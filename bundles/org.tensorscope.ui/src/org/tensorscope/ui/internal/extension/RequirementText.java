package org.tensorscope.ui.internal.extension;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.osgi.framework.namespace.BundleNamespace;
import org.osgi.framework.namespace.ExecutionEnvironmentNamespace;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.resource.Namespace;
import org.osgi.resource.Requirement;

/**
 * A requirement in the words of a manifest: "package com.example.foo [1.0.0,2.0.0)" rather than
 * its LDAP filter.
 */
final class RequirementText {

    /** Packages filter on "version", required bundles on "bundle-version"; (?<!!) skips negated bounds. */
    private static final String VERSION = "(?:bundle-)?version";
    private static final Pattern AT_LEAST = Pattern.compile("(?<!!)\\(" + VERSION + ">=([^)]+)\\)");
    private static final Pattern ABOVE = Pattern.compile("\\(!\\(" + VERSION + "<=([^)]+)\\)\\)");
    private static final Pattern BELOW = Pattern.compile("\\(!\\(" + VERSION + ">=([^)]+)\\)\\)");
    private static final Pattern AT_MOST = Pattern.compile("(?<!!)\\(" + VERSION + "<=([^)]+)\\)");

    private RequirementText() {
    }

    static String of(Requirement requirement) {
        String namespace = requirement.getNamespace();
        String filter = requirement.getDirectives().getOrDefault(Namespace.REQUIREMENT_FILTER_DIRECTIVE, "");
        return switch (namespace) {
            case PackageNamespace.PACKAGE_NAMESPACE -> "package " + named(namespace, filter) + range(filter);
            case BundleNamespace.BUNDLE_NAMESPACE -> "bundle " + named(namespace, filter) + range(filter);
            case ExecutionEnvironmentNamespace.EXECUTION_ENVIRONMENT_NAMESPACE -> "execution environment " + filter;
            default -> namespace + " " + filter;
        };
    }

    private static String named(String namespace, String filter) {
        Matcher name = Pattern.compile("\\(" + Pattern.quote(namespace) + "=([^)]+)\\)").matcher(filter);
        return name.find() ? name.group(1) : filter;
    }

    /** The version range from the filter's bounds, "" when any version does. */
    private static String range(String filter) {
        String low = null;
        String high = null;
        char open = '[';
        char close = ')';
        Matcher m;
        if ((m = BELOW.matcher(filter)).find()) {
            high = m.group(1);
        } else if ((m = AT_MOST.matcher(filter)).find()) {
            high = m.group(1);
            close = ']';
        }
        if ((m = ABOVE.matcher(filter)).find()) {
            low = m.group(1);
            open = '(';
        } else if ((m = AT_LEAST.matcher(filter)).find()) {
            low = m.group(1);
        }
        if (low == null && high == null) {
            return "";
        }
        if (high == null) {
            return " " + low + " or later";
        }
        return " " + open + (low == null ? "0.0.0" : low) + "," + high + close;
    }
}
