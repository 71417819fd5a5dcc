package org.tensorscope.core.internal.worker;

import java.util.Set;

/**
 * What a worker starts and must offer before it answers: the bundles to start, and how many
 * loaders and backends they register here (the worker waits for as many, so that its first
 * request never meets a half-started set of formats).
 */
public record WorkerPlan(Set<String> bundles, int loaders, int backends) {

    public WorkerPlan {
        bundles = Set.copyOf(bundles);
    }
}
