package io.jenkins.plugins.bbdc.cli;

import io.jenkins.plugins.bbdc.cli.config.ConfigException;
import io.jenkins.plugins.bbdc.core.restore.RestoreSelection;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.Option;

/** Which restore point: --id, --at, or the latest complete one. */
final class SelectionOptions {
    @Option(names = "--id", paramLabel = "ID", description = "The restore point id (see 'bbdc-ops list')")
    String id;

    @Option(names = "--at", paramLabel = "TIME",
            description = "Point in time (ISO-8601, e.g. 2026-11-21T10:30:00Z): the newest complete restore point"
                    + " whose fence is at or before it")
    String at;

    RestoreSelection selection() {
        if (id != null && at != null) {
            throw new ConfigException("give either --id or --at, not both");
        }
        if (id != null) {
            return RestoreSelection.byId(id);
        }
        if (at != null) {
            try {
                return RestoreSelection.atOrBefore(Instant.parse(at));
            } catch (DateTimeParseException e) {
                throw new ConfigException("--at " + at + ": not an ISO-8601 instant such as 2026-11-21T10:30:00Z");
            }
        }
        return RestoreSelection.latest();
    }
}
