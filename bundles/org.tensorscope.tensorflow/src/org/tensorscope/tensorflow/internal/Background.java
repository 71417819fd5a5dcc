package org.tensorscope.tensorflow.internal;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/** Work started on a daemon thread of its own, its outcome (a value or what it threw) kept in a future. */
public final class Background {

    private Background() {
    }

    public static <T> CompletableFuture<T> call(String threadName, Callable<T> work) {
        CompletableFuture<T> outcome = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                outcome.complete(work.call());
            } catch (Throwable e) {
                outcome.completeExceptionally(e);
            }
        }, threadName);
        thread.setDaemon(true);
        thread.start();
        return outcome;
    }
}
