package io.jenkins.plugins.bbdc.core.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.bbdc.core.event.OperationEvent;
import io.jenkins.plugins.bbdc.core.provider.BackupMode;
import io.jenkins.plugins.bbdc.core.restorepoint.ManifestJson;
import io.jenkins.plugins.bbdc.core.testsupport.InMemoryMaintenance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupStateTest {
    @TempDir
    Path tmp;

    @Test
    void theStateFileIsOwnerOnlyAndHoldsWhatAResumeNeeds() throws Exception {
        BackupFixture f = new BackupFixture(tmp, true);
        FileBackupStateStore store = new FileBackupStateStore(f.catalog.instanceDirectory("prod"));
        InMemoryMaintenance bb = new InMemoryMaintenance();
        BackupOutcome out = f.engine(f.config(BackupMode.LOCKED), bb, java.time.Clock.systemUTC(),
                io.jenkins.plugins.bbdc.core.time.Sleeper.SYSTEM, store).run();

        assertThat(out.succeeded()).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file()))).isEqualTo("rw-------");
        BackupState saved = store.read().orElseThrow();
        assertThat(saved.phase()).isEqualTo(BackupPhase.COMPLETE);
        assertThat(saved.restorePointId()).isEqualTo(out.point().id());
        assertThat(saved.lockHeld()).isFalse();
        assertThat(saved.unlockToken()).as("released tokens are dropped from the state").isNull();
    }

    @Test
    void theUnlockTokenNeverAppearsInEventsManifestsOrTheStateString() throws Exception {
        BackupFixture f = new BackupFixture(tmp, true);
        f.db.failCapture = "boom"; // exercise the failure path too
        InMemoryMaintenance bb = new InMemoryMaintenance();
        BackupOutcome out = f.engine(f.config(BackupMode.LOCKED), bb).run();

        String token = f.states.stream().map(BackupState::unlockToken).filter(t -> t != null).findFirst()
                .orElseThrow();
        assertThat(token).hasSize(40);
        for (OperationEvent e : f.events.events()) {
            assertThat(e.message()).doesNotContain(token).doesNotContain(token.substring(0, 12));
        }
        for (BackupState s : f.states) {
            assertThat(s.toString()).doesNotContain(token.substring(0, 12));
        }
        assertThat(ManifestJson.writeString(out.point())).doesNotContain(token.substring(0, 12));
    }

    @Test
    void aStateStoreThatStopsWorkingStillLetsTheFailurePathUnlockAndCleanUp() throws Exception {
        BackupFixture f = new BackupFixture(tmp, true);
        InMemoryMaintenance bb = new InMemoryMaintenance();
        // the disk holding the state fills up once Bitbucket is locked
        BackupStateSink fillsUp = s -> {
            if (s.lockHeld()) {
                throw new java.io.UncheckedIOException(new java.io.IOException("No space left on device"));
            }
        };
        BackupOutcome out = f.engine(f.config(BackupMode.LOCKED), bb, java.time.Clock.systemUTC(),
                io.jenkins.plugins.bbdc.core.time.Sleeper.SYSTEM, fillsUp).run();
        assertThat(out.point().status()).isEqualTo(io.jenkins.plugins.bbdc.core.restorepoint.RestorePointStatus.FAILED);
        assertThat(out.point().failureReason()).contains("No space left on device");
        assertThat(bb.isLocked()).isFalse();
        assertThat(bb.callNames().stream().filter(c -> c.startsWith("DELETE"))).hasSize(1);
        assertThat(f.storedSnapshots()).isEmpty();
    }
}
