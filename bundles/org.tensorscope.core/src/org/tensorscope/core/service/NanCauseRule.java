package org.tensorscope.core.service;

import java.util.Optional;

/**
 * Recognises one way an op turns finite inputs into NaN or infinity (log of a negative, 0/0...).
 * Contributed as an OSGi service, so extensions can teach the NaN trace new causes.
 */
public interface NanCauseRule {

    /** A stable identifier, e.g. "log-of-non-positive". */
    String id();

    /** The finding when this rule explains the origin, empty otherwise. */
    Optional<CauseFinding> examine(OriginContext context);
}
