package io.jenkins.plugins.bbdc.jenkins.util;

import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketAdmin;
import java.io.IOException;

/** Opens the engine's Bitbucket admin client for a base URL and resolved credentials (held in memory only). */
public final class BitbucketClients {
    private BitbucketClients() {
    }

    public static BitbucketAdmin open(String baseUrl, UsernamePassword credentials) throws IOException {
        throw new IOException("The Bitbucket admin client is not part of this build of the plugin yet.");
    }
}
