package org.tensorscope.core.service;

import java.util.List;

/**
 * Why an op turned finite inputs into NaN or infinity.
 *
 * @param ruleId     the rule that recognised it, e.g. "log-of-non-positive"
 * @param cause      the cause in words, e.g. "Log of a negative number"
 * @param offending  the first few input elements responsible
 * @param suggestion how to fix it, e.g. "clip the input to (0, inf) or add an epsilon"
 */
public record CauseFinding(String ruleId, String cause, List<OffendingValue> offending, String suggestion) {

    public CauseFinding {
        offending = List.copyOf(offending);
    }
}
