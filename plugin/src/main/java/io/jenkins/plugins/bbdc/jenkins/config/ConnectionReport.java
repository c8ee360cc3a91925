package io.jenkins.plugins.bbdc.jenkins.config;

/** The outcome of "Test connection": a one-line message that never contains a credential. */
public record ConnectionReport(boolean ok, String message) {
}
