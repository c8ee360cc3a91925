package io.jenkins.plugins.bbdc.core.provider;

import io.jenkins.plugins.bbdc.core.event.EventSink;
import io.jenkins.plugins.bbdc.core.exec.CommandRunner;
import io.jenkins.plugins.bbdc.core.time.Sleeper;
import java.time.Clock;
import java.util.Objects;

/**
 * Runtime services handed to a provider for one operation. A provider's configuration lives in the provider object
 * itself; this carries only what the caller owns: where commands run, time, progress reporting.
 *
 * @param instanceId the Bitbucket instance id (scopes names, tags and listings)
 * @param role       the component role this provider serves in this operation
 * @param mode       the backup mode (null outside a backup)
 */
public record ProviderContext(String instanceId, ComponentRole role, BackupMode mode, CommandRunner runner,
                              Clock clock, Sleeper sleeper, EventSink events) {
    public ProviderContext {
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(runner, "runner");
        clock = clock == null ? Clock.systemUTC() : clock;
        sleeper = sleeper == null ? Sleeper.SYSTEM : sleeper;
        events = events == null ? EventSink.NONE : events;
    }

    public ProviderContext withRole(ComponentRole r) {
        return new ProviderContext(instanceId, r, mode, runner, clock, sleeper, events);
    }

    public ProviderContext withMode(BackupMode m) {
        return new ProviderContext(instanceId, role, m, runner, clock, sleeper, events);
    }
}
