package io.jenkins.plugins.bbdc.jenkins.steps;

/**
 * One long operation (backup, restore, rolling upgrade) as a state machine the step execution drives from timer
 * polls. Built afresh for every poll from the persisted request (engines, clients and credentials live only for the
 * poll), so a controller restart loses nothing but what a poll held in memory.
 */
public interface OperationMachine {

    /**
     * Takes the next step from the persisted {@code state} (null on the first call).
     *
     * @param stopRequested the user (or {@code timeout}) asked the operation to stop: the machine must end it safely
     *                      — release the maintenance lock, cancel or park the upgrade — and return a terminal failure
     * @param resumed       this is the first poll after a controller restart: work that only lived in memory (a
     *                      running capture, a restore in progress) is gone and must be judged from what is observed
     */
    Advance advance(String state, boolean stopRequested, boolean resumed) throws Exception;
}
