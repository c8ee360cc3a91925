package io.jenkins.plugins.bbdc.jenkins.util;

import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketAdmin;
import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketAdminClient;
import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketClientOptions;
import java.io.IOException;
import java.net.URI;
import java.util.List;

/** Opens the engine's Bitbucket admin client for a base URL and resolved credentials (held in memory only). */
public final class BitbucketClients {
    private BitbucketClients() {
    }

    /**
     * @param baseUrl  the user-facing base URL
     * @param adminUrl where admin calls go, or null for {@code baseUrl}
     */
    public static BitbucketAdmin open(String baseUrl, String adminUrl, UsernamePassword credentials) throws IOException {
        return open(baseUrl, adminUrl, List.of(), credentials);
    }

    /**
     * @param nodeUrls each node's own URL: where the maintenance unlock and cancel are tried when the admin and base
     *                 URLs fail (a load balancer may stop forwarding while Bitbucket is locked)
     */
    public static BitbucketAdmin open(String baseUrl, String adminUrl, List<String> nodeUrls,
                                      UsernamePassword credentials) throws IOException {
        try {
            BitbucketClientOptions.Builder b = BitbucketClientOptions.builder(baseUrl)
                    .basicAuth(credentials.username(), credentials.password())
                    .userAgent(BitbucketClientOptions.defaultUserAgent() + " (Jenkins)");
            if (adminUrl != null) {
                b.adminUrl(adminUrl);
            }
            b.nodeUrls(nodeUrls.stream().map(URI::create).toList());
            return new BitbucketAdminClient(b.build());
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }
}
