package io.jenkins.plugins.bbdc.jenkins.steps;

import hudson.AbortException;
import io.jenkins.plugins.bbdc.jenkins.Messages;
import java.util.HashMap;
import java.util.Map;

/**
 * One operation per Bitbucket instance at a time on this controller: a backup must not take the maintenance lock
 * while a rolling upgrade runs, two restores must not race. Held in memory; a step re-acquires it when it resumes
 * after a controller restart.
 */
public final class InstanceLocks {
    private static final InstanceLocks GLOBAL = new InstanceLocks();

    /** Who holds an instance: a stable id (the build and step) and a description naming the build. */
    public record Holder(String ownerId, String operation, String build) {
    }

    private final Map<String, Holder> held = new HashMap<>();

    public static InstanceLocks global() {
        return GLOBAL;
    }

    /** Takes the instance for {@code holder}; the same owner may take it again (resume). */
    public synchronized void acquire(String instanceId, Holder holder) throws AbortException {
        Holder current = held.get(instanceId);
        if (current != null && !current.ownerId().equals(holder.ownerId())) {
            throw new AbortException(Messages.InstanceLocks_busy(instanceId, current.operation(), current.build(),
                    holder.operation()));
        }
        held.put(instanceId, holder);
    }

    /** Releases the instance if {@code ownerId} holds it; releasing twice is harmless. */
    public synchronized void release(String instanceId, String ownerId) {
        Holder current = held.get(instanceId);
        if (current != null && current.ownerId().equals(ownerId)) {
            held.remove(instanceId);
        }
    }

    public synchronized Holder holder(String instanceId) {
        return held.get(instanceId);
    }
}
