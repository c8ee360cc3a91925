package io.jenkins.plugins.bbdc.core.time;

import java.time.Duration;

/** Waiting, injected so that tests and benchmarks control time instead of sleeping for real. */
@FunctionalInterface
public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;

    /** Real sleeping on the calling thread. */
    Sleeper SYSTEM = d -> {
        if (!d.isNegative() && !d.isZero()) {
            Thread.sleep(d.toMillis(), (int) (d.toNanosPart() % 1_000_000));
        }
    };
}
