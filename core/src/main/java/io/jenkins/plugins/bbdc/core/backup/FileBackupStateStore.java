package io.jenkins.plugins.bbdc.core.backup;

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
 * permissions: it holds the unlock token), written atomically. Kept after the run for inspection; a state whose
 * phase is not terminal means a run died and {@link BackupEngine#resume} should be called.
 */
public final class FileBackupStateStore implements BackupStateSink {
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

    public Optional<BackupState> read() throws IOException {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        return Optional.of(JSON.readValue(file.toFile(), BackupState.class));
    }
}
