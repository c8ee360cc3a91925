package io.jenkins.plugins.bbdc.cli;

import io.jenkins.plugins.bbdc.cli.config.CliConfig;
import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketAdminClient;
import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketClientOptions;

/** Builds the engine's clients from the configuration; secrets are resolved here, at the last moment. */
final class Clients {
    private Clients() {
    }

    static BitbucketAdminClient bitbucket(CliConfig.Instance instance) {
        BitbucketClientOptions.Builder b = BitbucketClientOptions.builder(instance.url())
                .basicAuth(instance.username(), instance.password().get())
                .connectTimeout(instance.connectTimeout()).readTimeout(instance.readTimeout())
                .nodeUrls(instance.nodes());
        if (instance.adminUrl() != null) {
            b.adminUrl(instance.adminUrl());
        }
        return new BitbucketAdminClient(b.build());
    }
}
