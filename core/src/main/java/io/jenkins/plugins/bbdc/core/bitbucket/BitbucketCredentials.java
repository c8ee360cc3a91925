package io.jenkins.plugins.bbdc.core.bitbucket;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import okhttp3.Credentials;

/**
 * How the client authenticates. {@link Basic} with a system administrator is the default and the only scheme admin
 * endpoints accept (bitbucket-admin-api.md 2.1); {@link Bearer} exists for instances where that changed. Neither
 * record ever prints its secret.
 */
public sealed interface BitbucketCredentials {

    /** The value of the {@code Authorization} header. */
    String authorizationHeader();

    /** Who is calling, for messages (never the secret). */
    String describe();

    /** The secret itself, so that messages can be checked for it and scrubbed. */
    String secret();

    static BitbucketCredentials basic(String username, String password) {
        return new Basic(username, password);
    }

    static BitbucketCredentials bearer(String token) {
        return new Bearer(token);
    }

    /** HTTP Basic with a Bitbucket user (for admin calls: a system administrator). */
    record Basic(String username, String password) implements BitbucketCredentials {
        public Basic {
            if (username == null || username.isBlank()) {
                throw new IllegalArgumentException("no Bitbucket username given: admin calls need the username and"
                        + " password of a Bitbucket system administrator");
            }
            Objects.requireNonNull(password, "password");
        }

        @Override
        public String authorizationHeader() {
            return Credentials.basic(username, password, StandardCharsets.UTF_8);
        }

        @Override
        public String describe() {
            return "user '" + username + "'";
        }

        @Override
        public String secret() {
            return password;
        }

        @Override
        public String toString() {
            return "Basic[" + username + ", password ****]";
        }
    }

    /** A personal or HTTP access token sent as {@code Authorization: Bearer}. Not accepted by admin endpoints. */
    record Bearer(String token) implements BitbucketCredentials {
        public Bearer {
            if (token == null || token.isBlank()) {
                throw new IllegalArgumentException("no Bitbucket access token given");
            }
        }

        @Override
        public String authorizationHeader() {
            return "Bearer " + token;
        }

        @Override
        public String describe() {
            return "an access token (Bearer)";
        }

        @Override
        public String secret() {
            return token;
        }

        @Override
        public String toString() {
            return "Bearer[****]";
        }
    }
}
