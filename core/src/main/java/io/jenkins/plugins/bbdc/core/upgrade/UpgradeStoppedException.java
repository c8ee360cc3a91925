package io.jenkins.plugins.bbdc.core.upgrade;

/** A step found a reason to stop the upgrade; the engine then stops safely and writes the report. */
final class UpgradeStoppedException extends Exception {
    private static final long serialVersionUID = 1L;

    UpgradeStoppedException(String message) {
        super(message);
    }
}
