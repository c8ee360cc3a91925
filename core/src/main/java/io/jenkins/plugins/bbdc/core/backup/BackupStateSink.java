package io.jenkins.plugins.bbdc.core.backup;

/**
 * Receives the backup state at every transition, before the engine acts on it, so that a crash at any point leaves a
 * persisted state describing what may be held. The Jenkins step stores it in its execution; the CLI in a file
 * ({@link FileBackupStateStore}).
 */
@FunctionalInterface
public interface BackupStateSink {
    void persist(BackupState state);

    BackupStateSink NONE = s -> { };
}
