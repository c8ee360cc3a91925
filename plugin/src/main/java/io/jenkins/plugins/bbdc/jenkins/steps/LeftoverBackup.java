package io.jenkins.plugins.bbdc.jenkins.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import io.jenkins.plugins.bbdc.core.backup.BackupState;
import io.jenkins.plugins.bbdc.core.backup.FileBackupStateStore;
import io.jenkins.plugins.bbdc.core.provider.SnapshotRef;
import io.jenkins.plugins.bbdc.jenkins.Messages;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A backup a step could not end itself — after a controller restart another operation held the instance's run lock,
 * so the engine refused to resume it, or its unlock failed everywhere and Bitbucket stays locked: its state is kept as the engine's backup state file in the catalog
 * directory of the instance ({@code .backup-state.json}), where the next backup — {@code bitbucketBackup}, its
 * freestyle builder, or {@code bbdc-ops backup} on the same catalog — finds it and finishes it first (unlock, cancel,
 * delete its snapshots), exactly as the CLI does after a crash.
 */
final class LeftoverBackup {
    private LeftoverBackup() {
    }

    /** Keeps the state for the next backup or the CLI. */
    static Path keep(Path instanceDirectory, BackupState state) {
        FileBackupStateStore store = new FileBackupStateStore(instanceDirectory);
        persist(store, state);
        return store.file();
    }

    /**
     * Writes with a pending stop held back: the store writes through a {@code FileChannel}, which an interrupted
     * thread cannot use ({@code ClosedByInterruptException}) — and a stop is exactly when the state must be kept.
     */
    private static void persist(FileBackupStateStore store, BackupState state) {
        boolean interrupted = Thread.interrupted();
        try {
            store.persist(state);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A kept backup that still holds something, if any. */
    static Optional<BackupState> unfinished(@CheckForNull Path instanceDirectory) throws IOException {
        if (instanceDirectory == null) {
            return Optional.empty();
        }
        return new FileBackupStateStore(instanceDirectory).read().filter(BackupState::holdsSomething);
    }

    /** After the engine finished (or ended) a backup: a kept state of the same restore point is replaced by it. */
    static void settled(@CheckForNull Path instanceDirectory, BackupState state) throws IOException {
        if (instanceDirectory == null) {
            return;
        }
        FileBackupStateStore store = new FileBackupStateStore(instanceDirectory);
        Optional<BackupState> kept = store.read();
        if (kept.isPresent() && kept.get().restorePointId().equals(state.restorePointId())) {
            persist(store, state);
        }
    }

    /** What a backup in {@code state} leaves behind if nobody ends it, for the user. */
    static String whatIsLeft(BackupState state) {
        List<String> left = new ArrayList<>();
        if (state.lockHeld()) {
            left.add(Messages.LeftoverBackup_locked());
        }
        if (!state.phase().terminal()) {
            left.add(Messages.LeftoverBackup_unfinished(state.phase()));
            if (!state.captured().isEmpty()) {
                left.add(Messages.LeftoverBackup_snapshots(String.join(", ",
                        state.captured().stream().map(SnapshotRef::id).toList())));
            }
        }
        return String.join("; ", left);
    }
}
