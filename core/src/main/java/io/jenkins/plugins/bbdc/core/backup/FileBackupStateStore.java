package io.jenkins.plugins.bbdc.core.backup;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.bbdc.core.restorepoint.ManifestJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * Persists the state of the running backup of one instance as {@code <instance dir>/.backup-state.json} (owner-only
 * permissions: it holds the unlock token), written atomically. Kept after the run for inspection; a state that still
 * holds something (not terminal, or Bitbucket still locked) is ended by the next {@link BackupEngine#run}. A state
 * holding the maintenance lock is never overwritten by another restore point's: it has the only copy of the token.
 */
public final class FileBackupStateStore implements BackupStateStore {
    private static final ObjectMapper JSON = ManifestJson.mapper();
    private final Path file;

    public FileBackupStateStore(Path instanceDirectory) {
        this.file = instanceDirectory.resolve(".backup-state.json");
    }

    public Path file() {
        return file;
    }

    @Override
    public void persist(BackupState state) {
        try {
            keepHeldLock(state);
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(".backup-state.json.tmp");
            Files.deleteIfExists(tmp);
            try {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(tmp);
            }
            Files.write(tmp, JSON.writeValueAsBytes(state));
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot persist the backup state to " + file + ": " + e.getMessage(), e);
        }
    }

    /** Refuses to replace a state that holds the maintenance lock (or cannot be read) by another restore point's. */
    private void keepHeldLock(BackupState next) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        BackupState current = read().orElse(null);
        if (current != null && current.lockHeld() && !current.restorePointId().equals(next.restorePointId())) {
            throw new IOException("it holds the maintenance lock of backup " + current.restorePointId()
                    + " (the only copy of its unlock token); that backup must be ended first");
        }
    }

    @Override
    public Optional<BackupState> read() throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        BackupState state;
        try {
            state = JSON.readValue(file.toFile(), BackupState.class);
        } catch (IOException | RuntimeException e) {
            // the parser's message may quote the file (the token): only where it broke is shown
            JsonLocation at = e instanceof JsonProcessingException j ? j.getLocation() : null;
            throw unreadable("it is not a valid backup state (" + e.getClass().getSimpleName()
                    + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()) + ")");
        }
        if (state == null || state.restorePointId() == null || state.instance() == null || state.phase() == null
                || (state.lockHeld() && state.unlockToken() == null)) {
            throw unreadable("it lacks the restore point id, instance, phase or (while locked) the unlock token");
        }
        return Optional.of(state);
    }

    @Override
    public String unlockTokenExpression() {
        return "$(jq -r .unlockToken '" + file.toAbsolutePath() + "')";
    }

    private IOException unreadable(String why) {
        return new IOException("the backup state file " + file.toAbsolutePath() + " cannot be used: " + why + ". It"
                + " records the backup that ran last (truncated or corrupted, it tells nothing). Check whether"
                + " Bitbucket is in maintenance mode (a node's /status says MAINTENANCE): if it is, release the lock"
                + " from Bitbucket's administration or with the unlock token if the file still shows it; look for"
                + " snapshots of that backup in your storage (a catalog rebuild adopts what it finds). Then"
                + " move the file away (mv " + file.toAbsolutePath() + " " + file.toAbsolutePath() + ".broken) and"
                + " run the backup again");
    }
}
