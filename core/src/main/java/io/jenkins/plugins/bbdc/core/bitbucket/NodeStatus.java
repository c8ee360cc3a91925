package io.jenkins.plugins.bbdc.core.bitbucket;

import java.net.URI;

/**
 * One node's {@code /status} answer, or why there was none. Never an exception: "unreachable" is a normal observation
 * during upgrades and restore preflight.
 *
 * @param httpStatus the HTTP status, or 0 when the node did not answer
 * @param state      the raw {@code state}, or null
 * @param error      why there is no answer (connection refused, timeout …), or null
 */
public record NodeStatus(URI nodeUrl, int httpStatus, String state, String error) {

    public ApplicationState applicationState() {
        return ApplicationState.parse(state);
    }

    /** Ready means HTTP 200 and RUNNING; FIRST_RUN and MAINTENANCE are 200 too but not ready. */
    public boolean ready() {
        return httpStatus == 200 && applicationState() == ApplicationState.RUNNING;
    }

    public boolean reachable() {
        return httpStatus != 0;
    }
}
