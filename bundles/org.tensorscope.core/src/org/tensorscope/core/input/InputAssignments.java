package org.tensorscope.core.input;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.tensorscope.core.model.Signature;
import org.tensorscope.core.model.SignatureTensor;

/**
 * Binds {@code [NAME=]SOURCE} texts to a signature's inputs. Without a name, a source goes to
 * the only input, or to the first input not yet bound. Inputs left unbound get {@code ramp}.
 */
public final class InputAssignments {

    /** The source given to inputs the user did not name. */
    public static final String DEFAULT_SOURCE = "ramp";

    private InputAssignments() {
    }

    public static Map<SignatureTensor, InputSource> bind(Signature signature, List<String> texts) {
        return bind(signature, texts, Map.of());
    }

    /**
     * @param shapes explicit shapes by input name ({@code --shape NAME=1x512}), for inputs whose dimensions
     *               the model leaves unknown
     */
    public static Map<SignatureTensor, InputSource> bind(Signature signature, List<String> texts,
            Map<String, String> shapes) {
        Map<SignatureTensor, InputSource> bound = new LinkedHashMap<>();
        for (String text : texts) {
            int eq = text.indexOf('=');
            String name = eq > 0 ? text.substring(0, eq) : null;
            // a name in a scope ("input/x-input") is a name when the signature has it; otherwise text with
            // '/', '?' or '&' before '=' is a path or an image's preprocessing chain
            if (name != null && signature.input(name).isEmpty() && (name.contains("/") || name.contains("?")
                    || name.contains("&") || name.contains(".") || name.startsWith("example:"))) {
                name = null;
            }
            String sourceText = name == null ? text : text.substring(eq + 1);
            SignatureTensor input;
            if (name != null) {
                String wanted = name;
                input = signature.input(name).orElseThrow(() -> new IllegalArgumentException("The signature '"
                        + signature.key() + "' has no input named '" + wanted + "'; its inputs are "
                        + names(signature)));
            } else {
                input = signature.inputs().stream().filter(i -> !bound.containsKey(i)).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("More --input sources than the "
                                + signature.inputs().size() + " input(s) of signature '" + signature.key() + "': "
                                + names(signature)));
            }
            bound.put(input, InputSources.parse(sourceText));
        }
        for (SignatureTensor input : signature.inputs()) {
            bound.computeIfAbsent(input, i -> InputSources.parse(DEFAULT_SOURCE));
        }
        for (Map.Entry<String, String> shape : shapes.entrySet()) {
            SignatureTensor input = signature.input(shape.getKey()).orElseThrow(() -> new IllegalArgumentException(
                    "--shape " + shape.getKey() + ": the signature '" + signature.key() + "' has no input named '"
                            + shape.getKey() + "'; its inputs are " + names(signature)));
            String context = "--shape " + shape.getKey() + "=" + shape.getValue();
            bound.put(input, new ShapedSource(bound.get(input), ShapedSource.parseShape(shape.getValue(), context)));
        }
        return bound;
    }

    private static String names(Signature signature) {
        return signature.inputs().stream().map(SignatureTensor::key).collect(Collectors.joining(", "));
    }
}
