package io.jenkins.plugins.bbdc.core.bitbucket;

/**
 * The unlock token of a held maintenance lock. Opaque and secret-ish: {@link #toString()} shows only a prefix so it
 * can never leak into a log in full.
 */
public record MaintenanceLock(String unlockToken) {
    @Override
    public String toString() {
        return "MaintenanceLock[" + redact(unlockToken) + "]";
    }

    public static String redact(String token) {
        if (token == null) {
            return "null";
        }
        return token.length() <= 4 ? "****" : token.substring(0, 4) + "…";
    }
}
