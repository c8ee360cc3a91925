package io.jenkins.plugins.bbdc.core.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.bbdc.core.ops.OperationOutcome;
import io.jenkins.plugins.bbdc.core.event.OperationEvent;
import io.jenkins.plugins.bbdc.core.provider.BackupMode;
import io.jenkins.plugins.bbdc.core.testsupport.InMemoryMaintenance;
import io.jenkins.plugins.bbdc.core.time.Sleeper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine with a readable state store (what bbdc-ops and any caller using {@link FileBackupStateStore} get): a
 * backup whose unlock failed is ended first by the next run, a lock that still cannot be released refuses the new
 * backup and keeps the state, an unreadable state is refused, and the store never overwrites a held lock.
 */
class BackupStateStoreTest {
    @TempDir
    Path tmp;

    private BackupEngine engine(BackupFixture f, InMemoryMaintenance bb, FileBackupStateStore store) {
        return f.engine(f.config(BackupMode.LOCKED), bb, Clock.systemUTC(), Sleeper.SYSTEM, store);
    }

    @Test
    void theNextRunReleasesTheLockAnEarlierRunCouldNotAndThenBacksUp() throws Exception {
        BackupFixture f = new BackupFixture(tmp, true);
        FileBackupStateStore store = new FileBackupStateStore(f.catalog.instanceDirectory("prod"));
        InMemoryMaintenance bb = new InMemoryMaintenance().failUnlockCalls(1);
        BackupOutcome first = engine(f, bb, store).run();
        assertThat(first.stillLocked()).isTrue();
        assertThat(first.outcome()).isEqualTo(OperationOutcome.NOT_SAFE);
        assertThat(first.point().notes()).anySatisfy(n -> assertThat(n).contains("STILL LOCKED",
                "jq -r .unlockToken '" + store.file().toAbsolutePath() + "'")
                .doesNotContain(first.state().unlockToken()));

        List<BackupOutcome> earlier = new ArrayList<>();
        BackupOutcome second = engine(f, bb, store).runEndingEarlier(earlier::add);

        assertThat(earlier).singleElement().satisfies(e -> {
            assertThat(e.point().id()).isEqualTo(first.point().id());
            assertThat(e.stillLocked()).isFalse();
        });
        assertThat(second.point().id()).isNotEqualTo(first.point().id());
        assertThat(second.outcome()).isEqualTo(OperationOutcome.SUCCEEDED);
        assertThat(bb.isLocked()).isFalse();
        assertThat(f.events.events().stream().map(OperationEvent::message)).anySatisfy(m -> assertThat(m).contains("released the maintenance lock that"
                + " backup " + first.point().id()));
    }

    @Test
    void aLockThatStillCannotBeReleasedRefusesTheNewBackupAndKeepsTheState() throws Exception {
        BackupFixture f = new BackupFixture(tmp, true);
        FileBackupStateStore store = new FileBackupStateStore(f.catalog.instanceDirectory("prod"));
        InMemoryMaintenance bb = new InMemoryMaintenance().failUnlockCalls(2);
        BackupOutcome first = engine(f, bb, store).run();
        String kept = Files.readString(store.file());

        assertThatThrownBy(() -> engine(f, bb, store).run()).isInstanceOfSatisfying(BackupRefusedException.class,
                e -> {
                    assertThat(e.outcome()).isEqualTo(OperationOutcome.NOT_SAFE);
                    assertThat(e.getMessage()).contains("STILL LOCKED", first.point().id(), "DELETE")
                            .doesNotContain(first.state().unlockToken());
                });
        assertThat(Files.readString(store.file())).isEqualTo(kept);
        assertThat(f.catalog.list("prod")).hasSize(1);
        assertThat(bb.isLocked()).isTrue();
    }

    @Test
    void anUnreadableStateIsRefusedBeforeAnythingChanges() throws Exception {
        BackupFixture f = new BackupFixture(tmp, true);
        FileBackupStateStore store = new FileBackupStateStore(f.catalog.instanceDirectory("prod"));
        Files.createDirectories(store.file().getParent());
        Files.writeString(store.file(), "{\"unlockToken\":\"abcdef0123456789abcdef01");
        InMemoryMaintenance bb = new InMemoryMaintenance();

        assertThatThrownBy(() -> engine(f, bb, store).run()).isInstanceOfSatisfying(BackupRefusedException.class,
                e -> {
                    assertThat(e.outcome()).isEqualTo(OperationOutcome.REFUSED);
                    assertThat(e.getMessage()).contains(store.file().toAbsolutePath().toString(), "mv ")
                            .doesNotContain("abcdef0123456789");
                });
        assertThat(bb.calls()).isEmpty();
        assertThat(f.catalog.list("prod")).isEmpty();
    }

    @Test
    void theStoreNeverReplacesAStateThatHoldsTheLockByAnotherRestorePoints() throws Exception {
        BackupFixture f = new BackupFixture(tmp, true);
        FileBackupStateStore store = new FileBackupStateStore(f.catalog.instanceDirectory("prod"));
        BackupState locked = BackupState.started("20261208t010000z-aaaa", "prod", BackupMode.LOCKED, "8.19.1",
                java.time.Instant.now()).locked("0123456789abcdef0123456789abcdef01234567", java.time.Instant.now());
        store.persist(locked);
        BackupState other = BackupState.started("20261208t010100z-bbbb", "prod", BackupMode.LOCKED, "8.19.1",
                java.time.Instant.now());

        assertThatThrownBy(() -> store.persist(other)).hasMessageContaining("holds the maintenance lock of backup"
                + " 20261208t010000z-aaaa");
        store.persist(locked.unlocked(java.time.Instant.now())); // the same restore point may change it
        store.persist(other); // and once released, another may replace it
        assertThat(store.read()).hasValueSatisfying(s -> assertThat(s.restorePointId()).endsWith("bbbb"));
    }
}
