package io.jenkins.plugins.bbdc.core.provider.aws;

import io.jenkins.plugins.bbdc.core.event.EventSink;
import io.jenkins.plugins.bbdc.core.exec.CommandResult;
import io.jenkins.plugins.bbdc.core.exec.CommandRunner;
import io.jenkins.plugins.bbdc.core.provider.BackupMode;
import io.jenkins.plugins.bbdc.core.provider.CaptureRequest;
import io.jenkins.plugins.bbdc.core.provider.ComponentRole;
import io.jenkins.plugins.bbdc.core.provider.ProviderContext;
import io.jenkins.plugins.bbdc.core.time.Sleeper;
import io.jenkins.plugins.bbdc.testkit.aws.AwsEndpoint;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/** Shared fixtures: the testkit AWS endpoint, a factory of real SDK clients pointed at it, contexts. */
final class AwsTestSupport {
    static final String REGION = "eu-west-1";

    private AwsTestSupport() {
    }

    static AwsSettings.Builder settings(AwsEndpoint aws) {
        return AwsSettings.builder().region(REGION)
                .credentials(AwsCredentialsConfig.staticKeys("AKIATESTKEY", "test-secret-key", null))
                .endpointOverride(aws.url()).retry(AwsRetryPolicy.fast());
    }

    static AwsClientFactory clients(AwsEndpoint aws) {
        return new AwsClientFactory(settings(aws).build());
    }

    /** Records every command; commands listed in {@code failing} exit 1, all others 0. */
    static final class RecordingRunner implements CommandRunner {
        final List<List<String>> commands = Collections.synchronizedList(new ArrayList<>());
        private final Set<String> failing;

        RecordingRunner(Set<String> failing) {
            this.failing = failing;
        }

        @Override
        public CommandResult run(io.jenkins.plugins.bbdc.core.exec.CommandSpec spec) {
            commands.add(spec.command());
            int exit = failing.contains(spec.command().get(0)) ? 1 : 0;
            return new CommandResult(spec.command(), exit, "", exit == 0 ? "" : "failed", 1);
        }
    }

    static ProviderContext context(String instance, ComponentRole role, CommandRunner runner, EventSink events) {
        return new ProviderContext(instance, role, BackupMode.ZERO_DOWNTIME, runner, Clock.systemUTC(),
                Sleeper.SYSTEM, events);
    }

    static CaptureRequest request(String restorePoint, String instance, ComponentRole role) {
        return new CaptureRequest(restorePoint, instance, role, BackupMode.ZERO_DOWNTIME);
    }
}
