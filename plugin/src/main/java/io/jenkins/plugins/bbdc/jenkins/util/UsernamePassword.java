package io.jenkins.plugins.bbdc.jenkins.util;

import java.util.Objects;

/**
 * A username and password resolved from a credentials entry for the duration of one call. Never stored in a
 * persisted field; {@link #toString()} never shows the password.
 */
public final class UsernamePassword {
    private final String username;
    private final String password;

    public UsernamePassword(String username, String password) {
        this.username = Objects.requireNonNull(username, "username");
        this.password = Objects.requireNonNull(password, "password");
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    @Override
    public String toString() {
        return username + ":****";
    }
}
