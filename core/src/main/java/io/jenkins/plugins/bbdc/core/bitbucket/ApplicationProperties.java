package io.jenkins.plugins.bbdc.core.bitbucket;

/** {@code GET /rest/api/1.0/application-properties}. */
public record ApplicationProperties(String version, String buildNumber, String buildDate, String displayName) {
    public BitbucketVersion parsedVersion() {
        return BitbucketVersion.parse(version);
    }
}
