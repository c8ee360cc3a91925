package io.jenkins.plugins.bbdc.core.restore;

import java.time.Instant;
import java.util.Objects;

/**
 * Which restore point to restore: a given id, the latest COMPLETE one, or the newest COMPLETE one whose fence is at
 * or before a point in time.
 */
public record RestoreSelection(String id, Instant pointInTime) {

    public static RestoreSelection latest() {
        return new RestoreSelection(null, null);
    }

    public static RestoreSelection byId(String id) {
        return new RestoreSelection(Objects.requireNonNull(id, "restore point id"), null);
    }

    public static RestoreSelection atOrBefore(Instant t) {
        return new RestoreSelection(null, Objects.requireNonNull(t, "point in time"));
    }

    public String describe() {
        if (id != null) {
            return "restore point " + id;
        }
        return pointInTime != null ? "the newest complete restore point at or before " + pointInTime
                : "the latest complete restore point";
    }
}
