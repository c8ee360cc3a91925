package io.jenkins.plugins.bbdc.testkit.bitbucket;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * Authentication of a request: Basic with a known user and password, or an access token — sent as
 * {@code Bearer <token>} or as the password of a Basic header, as Bitbucket accepts both.
 */
final class SimUsers {
    record User(String name, String password, boolean sysadmin) {
    }

    enum Scheme { NONE, PASSWORD, TOKEN }

    /** Outcome of reading the Authorization header. {@code user} is null unless the credentials were valid. */
    record Auth(Scheme scheme, String claimedName, User user) {
        boolean failed() {
            return scheme != Scheme.NONE && user == null;
        }

        String recordedName() {
            return user != null ? user.name() : claimedName;
        }
    }

    private final Map<String, User> users;
    private final Map<String, String> tokenOwners;

    SimUsers(Map<String, User> users, Map<String, String> tokenOwners) {
        this.users = Map.copyOf(users);
        this.tokenOwners = Map.copyOf(tokenOwners);
    }

    Auth authenticate(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return new Auth(Scheme.NONE, null, null);
        }
        String value = authorization.trim();
        if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String owner = tokenOwners.get(value.substring(7).trim());
            return new Auth(Scheme.TOKEN, owner, owner == null ? null : users.get(owner));
        }
        if (!value.regionMatches(true, 0, "Basic ", 0, 6)) {
            return new Auth(Scheme.PASSWORD, null, null);
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(value.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return new Auth(Scheme.PASSWORD, null, null);
        }
        int colon = decoded.indexOf(':');
        String name = colon < 0 ? decoded : decoded.substring(0, colon);
        String secret = colon < 0 ? "" : decoded.substring(colon + 1);
        User user = users.get(name);
        if (user != null && name.equals(tokenOwners.get(secret))) {
            return new Auth(Scheme.TOKEN, name, user);
        }
        return new Auth(Scheme.PASSWORD, name, user != null && user.password().equals(secret) ? user : null);
    }
}
