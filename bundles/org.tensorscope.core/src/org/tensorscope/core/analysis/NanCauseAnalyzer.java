package org.tensorscope.core.analysis;

import java.util.List;
import java.util.Optional;

import org.tensorscope.core.service.CauseFinding;
import org.tensorscope.core.service.NanCauseRule;
import org.tensorscope.core.service.OriginContext;

/**
 * Asks the installed cause rules, in the order given (highest {@code service.ranking} first, as
 * {@code Contributions.causeRules()} lists them), why an op produced NaN or infinity; the first that
 * recognises the case answers.
 */
public final class NanCauseAnalyzer {

    private final List<NanCauseRule> rules;

    public NanCauseAnalyzer(List<NanCauseRule> rules) {
        this.rules = List.copyOf(rules);
    }

    public Optional<CauseFinding> explain(OriginContext context) {
        for (NanCauseRule rule : rules) {
            Optional<CauseFinding> finding = rule.examine(context);
            if (finding.isPresent()) {
                return finding;
            }
        }
        return Optional.empty();
    }
}
