package org.tensorscope.core.sequence;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.tensorscope.core.input.InputCheck;
import org.tensorscope.core.model.Signature;
import org.tensorscope.core.model.SignatureTensor;
import org.tensorscope.core.model.TensorSpec;
import org.tensorscope.core.tensor.TensorData;

/**
 * One feedback rule: what a step's outputs feed an input of the next step. Written {@code OUTPUT=INPUT}
 * ({@code r1o=r1i}: output r1o of step t is input r1i of step t+1) or {@code INPUT=EXPRESSION}
 * ({@code box=clip(Identity_1, 0, 1)}, see {@link FeedbackExpression}); outputs are named by signature key,
 * tensor name or op name.
 *
 * @param text       the rule as given
 * @param input      the input fed (signature input)
 * @param expression what feeds it, over the outputs
 */
public record Feedback(String text, SignatureTensor input, FeedbackExpression expression) {

    /** @throws IllegalArgumentException naming the rule and what is wrong with it */
    public static Feedback parse(String text, Signature signature) {
        int eq = text.indexOf('=');
        if (eq <= 0 || eq == text.length() - 1) {
            throw new IllegalArgumentException(rule(text) + ": write OUTPUT=INPUT (r1o=r1i) or "
                    + "INPUT=EXPRESSION (box=clip(Identity_1, 0, 1))");
        }
        String left = text.substring(0, eq).trim();
        String right = text.substring(eq + 1).trim();
        Optional<SignatureTensor> rightInput = signature.input(right);
        if (rightInput.isPresent() && output(signature, left).isPresent()) {
            return checked(text, rightInput.get(), parseExpression(text, left), signature);
        }
        Optional<SignatureTensor> leftInput = signature.input(left);
        if (leftInput.isPresent()) {
            return checked(text, leftInput.get(), parseExpression(text, right), signature);
        }
        throw new IllegalArgumentException(rule(text) + ": " + (rightInput.isPresent()
                ? "'" + left + "' is not an output of signature '" + signature.key() + "'; its outputs are "
                        + keys(signature.outputs())
                : "neither '" + left + "' nor '" + right + "' is an input of signature '" + signature.key()
                        + "'; its inputs are " + keys(signature.inputs())));
    }

    private static FeedbackExpression parseExpression(String text, String expression) {
        try {
            return FeedbackExpression.parse(expression);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(rule(text) + ": " + e.getMessage(), e);
        }
    }

    private static Feedback checked(String text, SignatureTensor input, FeedbackExpression expression,
            Signature signature) {
        for (String name : expression.names()) {
            if (output(signature, name).isEmpty()) {
                throw new IllegalArgumentException(rule(text) + ": unknown name '" + name
                        + "'; an expression reads outputs of signature '" + signature.key() + "': "
                        + keys(signature.outputs()));
            }
        }
        return new Feedback(text, input, expression);
    }

    static Optional<SignatureTensor> output(Signature signature, String name) {
        return signature.outputs().stream().filter(o -> o.key().equals(name) || o.tensor().name().equals(name)
                || o.tensor().opName().equals(name)).findFirst();
    }

    /** The rule as messages name it, e.g. "--feedback 'r1o=r1i'". */
    private static String rule(String text) {
        return "--feedback '" + FeedbackExpression.shown(text) + "'";
    }

    private static String keys(List<SignatureTensor> tensors) {
        return tensors.stream().map(SignatureTensor::key).collect(Collectors.joining(", "));
    }

    /**
     * The input's value for the next step from this step's outputs (by graph tensor name), converted to the
     * input's type.
     *
     * @throws IllegalArgumentException when the value does not fit the input, naming the rule
     */
    public TensorData next(Signature signature, Map<String, TensorData> outputs) {
        Map<String, FeedbackExpression.Value> values = new LinkedHashMap<>();
        for (String name : expression.names()) {
            SignatureTensor out = output(signature, name).orElseThrow();
            TensorData data = outputs.get(out.tensor().name());
            if (data == null) {
                throw new IllegalArgumentException(rule(text) + ": the run did not return output " + name);
            }
            values.put(name, new FeedbackExpression.Value(FrameValues.of(data), data.shape()));
        }
        FeedbackExpression.Value value;
        try {
            value = expression.eval(values);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(rule(text) + ": " + e.getMessage(), e);
        }
        TensorSpec spec = input.tensor();
        if (value.isNumber()) {
            throw new IllegalArgumentException(rule(text) + ": the expression reads no output, so it "
                    + "gives one number, not a tensor for input " + input.key());
        }
        TensorData data;
        try {
            data = FrameValues.tensor(spec.name(), spec.dtype(), value.shape(), value.values());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(rule(text) + ": " + e.getMessage(), e);
        }
        List<String> problems = InputCheck.mismatches(input.key(), spec, data);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(rule(text) + ": " + String.join("; ", problems));
        }
        return data;
    }
}
