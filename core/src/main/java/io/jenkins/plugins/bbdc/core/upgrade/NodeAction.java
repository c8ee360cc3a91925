package io.jenkins.plugins.bbdc.core.upgrade;

import java.util.List;

/**
 * What upgrades one node: stop Bitbucket, install the target version, start it. A command template
 * ({@link CommandNodeAction}) or a callback (the Jenkins step's body, a test driving the simulator).
 */
public interface NodeAction {

    enum Progress {
        /** The action finished; the engine now waits for the node to be back on the target version. */
        DONE,
        /** Asynchronous actions only: still running; the engine asks again on its next step. */
        IN_PROGRESS
    }

    /** Runs (synchronous actions) or starts/checks (asynchronous actions) the action. Throws when it failed. */
    Progress perform(UpgradeNodeContext node) throws Exception;

    /**
     * Synchronous actions do all their work inside one {@link #perform} call. If the state shows such an action
     * started but never finished (the process running the engine died), the engine decides from what it observes
     * instead of blindly running it twice. Asynchronous actions are asked again and must answer for themselves.
     */
    default boolean synchronous() {
        return true;
    }

    /**
     * What this action may have changed outside Bitbucket that a stopped or aborted upgrade leaves as it is, as
     * report lines for the operator (for example a cloud stack whose version parameter already names the target).
     */
    default List<String> leftAfterStop(String originalVersion, String targetVersion) {
        return List.of();
    }

    /** For the plan: what would be run for this node. */
    default List<String> describe(UpgradeNodeContext node) {
        return List.of("node action (callback) for " + node.nodeName());
    }
}
