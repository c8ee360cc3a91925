package io.jenkins.plugins.bbdc.core.bitbucket;

/** A node's {@code /status} state. Unknown values map to {@link #UNKNOWN}. */
public enum ApplicationState {
    STARTING, FIRST_RUN, RUNNING, MAINTENANCE, ERROR, STOPPING, UNKNOWN;

    public static ApplicationState parse(String raw) {
        return Enums.parse(ApplicationState.class, raw, UNKNOWN);
    }
}
