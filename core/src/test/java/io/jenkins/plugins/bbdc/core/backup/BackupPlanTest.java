package io.jenkins.plugins.bbdc.core.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.bbdc.core.exec.ProcessCommandRunner;
import io.jenkins.plugins.bbdc.core.provider.BackupMode;
import io.jenkins.plugins.bbdc.core.provider.ProviderContext;
import io.jenkins.plugins.bbdc.core.testsupport.InMemoryMaintenance;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupPlanTest {
    @TempDir
    Path tmp;

    @Test
    void lockedPlanListsChecksCallsAndCommandsAndChangesNothing() throws Exception {
        BackupFixture f = new BackupFixture(tmp, true);
        InMemoryMaintenance bb = new InMemoryMaintenance();
        BackupConfig cfg = f.config(BackupMode.LOCKED);
        BackupPlan plan = BackupPlan.of(cfg, bb, role -> new ProviderContext("prod", role, BackupMode.LOCKED,
                new ProcessCommandRunner(), null, null, null));

        assertThat(plan.wouldRun()).isTrue();
        String text = String.join("\n", plan.describe());
        assertThat(text).contains("POST http://in-memory.invalid/mvc/maintenance/lock",
                "GET http://in-memory.invalid/mvc/maintenance every PT0.02S until DRAINED, at most PT5S",
                "copy " + tmp.resolve("src/home"), "mesh-home:mesh-1", "DELETE", "=> the backup would run");
        assertThat(text.indexOf("maintenance/lock")).isLessThan(text.indexOf("copy "));
        // only the read-only version query reached Bitbucket; nothing was captured
        assertThat(bb.callNames()).containsExactly("GET /rest/api/1.0/application-properties");
        assertThat(f.storedSnapshots()).isEmpty();
        assertThat(f.prepares()).isZero();
    }

    @Test
    void zeroDowntimePlanShowsEveryRefusal() throws Exception {
        BackupFixture f = new BackupFixture(tmp, true);
        f.db.checkErrors.add("pg_dump 13 is too old");
        BackupPlan plan = BackupPlan.of(f.config(BackupMode.ZERO_DOWNTIME), new InMemoryMaintenance().version("4.7.0"),
                role -> new ProviderContext("prod", role, BackupMode.ZERO_DOWNTIME, new ProcessCommandRunner(), null,
                        null, null));
        assertThat(plan.wouldRun()).isFalse();
        assertThat(plan.refusals()).hasSize(3);
        assertThat(String.join("\n", plan.describe())).contains("does NOT support zero-downtime",
                "REFUSED: the rsync-like provider of 'home'", "pg_dump 13 is too old", "would be REFUSED")
                .doesNotContain("/mvc/maintenance/lock");
    }
}
