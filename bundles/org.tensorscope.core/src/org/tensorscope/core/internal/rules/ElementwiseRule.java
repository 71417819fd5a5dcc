package org.tensorscope.core.internal.rules;

import java.util.Optional;
import java.util.Set;
import java.util.function.DoublePredicate;
import java.util.function.Function;

import org.tensorscope.core.model.DType;
import org.tensorscope.core.service.CauseFinding;
import org.tensorscope.core.service.NanCauseRule;
import org.tensorscope.core.service.OriginContext;
import org.tensorscope.core.tensor.TensorData;

/**
 * A rule for ops that fail element by element on some input values (log of a negative, sqrt of
 * a negative...): it fires when an input of one of its op types holds such values.
 */
abstract class ElementwiseRule implements NanCauseRule {

    private final String id;
    private final Set<String> opTypes;
    private final int input;
    private final Function<DType, DoublePredicate> offending;
    private final Function<DType, String> condition;
    private final String suggestion;

    /**
     * @param condition the offending values in words, e.g. "&lt;= 0"
     */
    ElementwiseRule(String id, Set<String> opTypes, int input, DoublePredicate offending, String condition,
            String suggestion) {
        this(id, opTypes, input, dtype -> offending, dtype -> condition, suggestion);
    }

    /** A rule whose offending values depend on the input's dtype (exp overflows float16 above 11.09). */
    ElementwiseRule(String id, Set<String> opTypes, int input, Function<DType, DoublePredicate> offending,
            Function<DType, String> condition, String suggestion) {
        this.id = id;
        this.opTypes = opTypes;
        this.input = input;
        this.offending = offending;
        this.condition = condition;
        this.suggestion = suggestion;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Optional<CauseFinding> examine(OriginContext context) {
        if (!context.op().computes(opTypes) || context.inputs().size() <= input) {
            return Optional.empty();
        }
        TensorData values = context.inputs().get(input);
        if (values == null) {
            return Optional.empty();
        }
        Offenders found = Offenders.find(values, input, context.output(), offending.apply(values.dtype()));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        String cause = String.format("%s of values %s: %d of %d input values", context.op().type(),
                condition.apply(values.dtype()),
                found.count(), values.size());
        return Optional.of(new CauseFinding(id, cause, found.first(), suggestion));
    }
}
