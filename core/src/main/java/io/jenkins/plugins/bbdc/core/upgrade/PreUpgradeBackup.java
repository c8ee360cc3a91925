package io.jenkins.plugins.bbdc.core.upgrade;

/**
 * Takes a restore point before the upgrade changes anything (wired by the CLI and the plugin to the backup engine).
 */
@FunctionalInterface
public interface PreUpgradeBackup {

    /** Creates a complete restore point and returns its id; throws when none could be made. */
    String createRestorePoint(String reason) throws Exception;
}
