package io.jenkins.plugins.bbdc.jenkins.steps;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What one step of an operation's state machine produced: the new persisted state (plain JSON, never a secret), a
 * short status for {@code getStatus()}, and either "poll again after {@link #again}" or a terminal result.
 */
public final class Advance {
    private final String state;
    private final String status;
    private final Duration again;
    private final Map<String, Object> result;
    private final String failure;

    private Advance(String state, String status, Duration again, Map<String, Object> result, String failure) {
        this.state = state;
        this.status = Objects.requireNonNull(status, "status");
        this.again = again;
        this.result = result == null ? null : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(result));
        this.failure = failure;
    }

    /** Not finished: poll again after {@code delay} (zero: at once). */
    public static Advance again(String state, String status, Duration delay) {
        return new Advance(state, status, Objects.requireNonNull(delay, "delay"), null, null);
    }

    /** Finished successfully with the step's return value (plain values only). */
    public static Advance succeeded(String state, String status, Map<String, Object> result) {
        return new Advance(state, status, null, Objects.requireNonNull(result, "result"), null);
    }

    /**
     * Finished unsuccessfully. {@code result} may still carry what was done (the step's failure message says how to
     * continue); {@code failure} is the message the build fails with.
     */
    public static Advance failed(String state, String status, String failure, Map<String, Object> result) {
        return new Advance(state, status, null, result, Objects.requireNonNull(failure, "failure"));
    }

    public String state() {
        return state;
    }

    public String status() {
        return status;
    }

    public boolean terminal() {
        return again == null;
    }

    public Duration delay() {
        return again;
    }

    public Map<String, Object> result() {
        return result;
    }

    public String failure() {
        return failure;
    }
}
