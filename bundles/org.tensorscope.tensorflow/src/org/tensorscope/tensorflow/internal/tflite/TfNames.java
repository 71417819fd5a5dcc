package org.tensorscope.tensorflow.internal.tflite;

import java.util.HashSet;
import java.util.Set;

/**
 * TensorFlow op names for TFLite tensors. A TFLite tensor's name may list every TensorFlow op the
 * converter fused into it, separated by ';' ({@code "model/re_lu/Relu;model/conv2d/BiasAdd;..."}):
 * the first is the op whose value the tensor holds. Characters TensorFlow does not allow in op names
 * become '_', and every name is made unique.
 */
final class TfNames {

    /** Below {@code GraphLimits.MAX_NAME_WITHOUT_SCOPE}, leaving room for suffixes. */
    private static final int MAX_LENGTH = 200;

    private final Set<String> used = new HashSet<>();

    /** A new unique op name derived from a TFLite tensor name; {@code fallback} when that is empty. */
    String fromTensor(String tensorName, String fallback) {
        int semicolon = tensorName.indexOf(';');
        String first = semicolon < 0 ? tensorName : tensorName.substring(0, semicolon);
        String clean = first.replaceAll("[^A-Za-z0-9_.\\-/>]", "_").replaceAll("/+", "/").replaceAll("^/|/$", "");
        if (clean.length() > MAX_LENGTH) {
            clean = clean.substring(0, MAX_LENGTH).replaceAll("/$", "");
        }
        if (clean.isEmpty()) {
            clean = fallback;
        } else if (!Character.isLetterOrDigit(clean.charAt(0)) && clean.charAt(0) != '.') {
            clean = "t" + clean;
        }
        return unique(clean);
    }

    /** {@code name} itself when free, else {@code name_1}, {@code name_2}... */
    String unique(String name) {
        String candidate = name;
        for (int i = 1; !used.add(candidate); i++) {
            candidate = name + "_" + i;
        }
        return candidate;
    }
}
