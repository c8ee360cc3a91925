package io.jenkins.plugins.bbdc.bench;

import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketAdminClient;
import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketClientOptions;
import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator;

import java.time.Duration;

/** A Bitbucket simulator and the real admin client talking to it over HTTP, as the engine uses them. */
final class Simulated implements AutoCloseable {
    final BitbucketSimulator simulator;
    final BitbucketAdminClient admin;

    Simulated(Duration drainTime) {
        this.simulator = BitbucketSimulator.builder().nodes(1).version("8.19.1").drainTime(drainTime)
                .healthCheckInterval(Duration.ofMillis(200)).start();
        this.admin = new BitbucketAdminClient(BitbucketClientOptions.builder(simulator.baseUrl())
                .basicAuth("admin", "admin").connectTimeout(Duration.ofSeconds(5))
                .readTimeout(Duration.ofSeconds(30)).build());
    }

    @Override
    public void close() {
        simulator.close();
    }
}
