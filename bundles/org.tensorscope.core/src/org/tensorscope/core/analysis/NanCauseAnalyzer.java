package org.tensorscope.core.analysis;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.tensorscope.core.service.CauseFinding;
import org.tensorscope.core.service.NanCauseRule;
import org.tensorscope.core.service.OriginContext;

/**
 * Asks the installed cause rules, in id order, why an op produced NaN or infinity; the first
 * that recognises the case answers.
 */
public final class NanCauseAnalyzer {

    private final List<NanCauseRule> rules;

    public NanCauseAnalyzer(List<NanCauseRule> rules) {
        this.rules = rules.stream().sorted(Comparator.comparing(NanCauseRule::id)).toList();
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
