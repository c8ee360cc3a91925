package io.jenkins.plugins.bbdc.core.bitbucket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketException.Kind;
import io.jenkins.plugins.bbdc.core.bitbucket.SimClients.RecordingSleeper;
import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator;
import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator.RecordedCall;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The /mvc maintenance lock and external backup (bitbucket-admin-api.md 3) against the simulator, over HTTP. */
class BitbucketAdminClientMaintenanceTest {
    private final RecordingSleeper sleeper = new RecordingSleeper();
    private BitbucketSimulator sim;

    @AfterEach
    void close() {
        if (sim != null) {
            sim.close();
        }
    }

    private BitbucketAdminClient start() {
        sim = BitbucketSimulator.builder().nodes(2).drainTime(Duration.ofSeconds(30)).start();
        return SimClients.client(sim, sleeper);
    }

    @Test
    void lockDrainProgressUnlockInTheReferenceOrder() throws Exception {
        BitbucketAdminClient client = start();
        sim.faults().drainAfterPolls(2, 3);

        MaintenanceLock lock = client.lock();
        assertThat(sim.isLocked()).isTrue();
        assertThat(lock.unlockToken()).isNotBlank();
        String cancelToken = client.startExternalBackup(lock);
        assertThat(cancelToken).isNotBlank();

        MaintenanceStatus first = client.maintenanceStatus(lock);
        assertThat(first.drained()).isFalse();
        assertThat(first.taskState()).isEqualTo("RUNNING");
        MaintenanceStatus second = client.maintenanceStatus(lock);
        assertThat(second.dbState()).isEqualTo("DRAINED");
        assertThat(second.drained()).isFalse();
        MaintenanceStatus third = client.maintenanceStatus(lock);
        assertThat(third.drained()).isTrue();
        assertThat(third.taskFailed()).isFalse();

        client.reportProgress(lock, 50);
        client.reportProgress(lock, 100);
        client.unlock(lock);

        assertThat(sim.progressReports()).containsExactly(50, 100);
        assertThat(sim.isLocked()).isFalse();
    }

    @Test
    void everyCallCarriesTheContractHeaders() throws Exception {
        BitbucketAdminClient client = start();
        MaintenanceLock lock = client.lock();
        client.startExternalBackup(lock);
        client.maintenanceStatus(lock);
        client.reportProgress(lock, 10);
        client.unlock(lock);

        List<RecordedCall> calls = sim.calls();
        assertThat(calls).extracting(c -> c.method() + " " + c.path()).containsExactly(
                "POST /mvc/maintenance/lock", "POST /mvc/admin/backups", "GET /mvc/maintenance",
                "POST /mvc/admin/backups/progress/client", "DELETE /mvc/maintenance/lock");
        assertThat(calls).allSatisfy(c -> assertThat(c.user()).isEqualTo("admin"));
        assertThat(calls).filteredOn(c -> !c.method().equals("GET")).allSatisfy(c -> {
            assertThat(c.contentType()).startsWith("application/json");
            assertThat(c.xsrfHeader()).isEqualTo("no-check");
        });
        // the maintenance header exactly on start-backup and the poll
        assertThat(calls).filteredOn(RecordedCall::maintenanceHeader).extracting(RecordedCall::path)
                .containsExactly("/mvc/admin/backups", "/mvc/maintenance");
        assertThat(calls.get(1).query()).isEqualTo("external=true");
        assertThat(calls.get(3).query()).contains("percentage=10").contains("token=" + lock.unlockToken());
    }

    @Test
    void cancelTellsBitbucketButKeepsTheLock() throws Exception {
        BitbucketAdminClient client = start();
        MaintenanceLock lock = client.lock();
        String cancelToken = client.startExternalBackup(lock);

        client.cancelBackup(cancelToken);

        assertThat(client.maintenanceStatus(lock).taskFailed()).isTrue();
        assertThat(sim.isLocked()).isTrue();
        client.unlock(lock);
        assertThat(sim.isLocked()).isFalse();
    }

    @Test
    void aFailedBackupTaskIsReportedByThePoll() throws Exception {
        BitbucketAdminClient client = start();
        sim.faults().taskStateAfterPolls(2, "FAILED");
        MaintenanceLock lock = client.lock();
        client.startExternalBackup(lock);
        assertThat(client.maintenanceStatus(lock).taskFailed()).isFalse();
        MaintenanceStatus failed = client.maintenanceStatus(lock);
        assertThat(failed.taskFailed()).isTrue();
        assertThat(failed.taskState()).isEqualTo("FAILED");
        client.unlock(lock);
    }

    @Test
    void aLockHeldElsewhereIsAConflictThatSaysSo() {
        BitbucketAdminClient client = start();
        sim.faults().lockHeldElsewhere(true);
        assertThatThrownBy(client::lock).isInstanceOfSatisfying(BitbucketException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.CONFLICT);
            assertThat(e.httpStatus()).isEqualTo(409);
            assertThat(e.getMessage()).contains("already held").contains("POST " + sim.baseUrl()
                    + "/mvc/maintenance/lock");
        });
    }

    @Test
    void unlockWithAStaleTokenExplainsTheTokenWithoutShowingIt() throws Exception {
        BitbucketAdminClient client = start();
        MaintenanceLock real = client.lock();
        MaintenanceLock stale = new MaintenanceLock("0123456789abcdef0123456789abcdef01234567");
        assertThatThrownBy(() -> client.unlock(stale)).isInstanceOfSatisfying(BitbucketException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.AUTHENTICATION);
            assertThat(e.getMessage()).contains("maintenance lock token was not accepted")
                    .contains("token=****").doesNotContain(stale.unlockToken());
        });
        assertThat(sim.isLocked()).isTrue();
        client.unlock(real);
    }

    @Test
    void theMaintenanceCallsGoToTheAdminUrlEverythingElseToTheBaseUrl() throws Exception {
        sim = BitbucketSimulator.builder().nodes(3).start();
        BitbucketSimulator.SimNode node2 = sim.node("bb-node-2");
        BitbucketAdminClient client = new BitbucketAdminClient(SimClients.options(sim, sleeper)
                .adminUrl(node2.url()).build());
        assertThat(client.adminUrl()).isEqualTo(node2.url());

        MaintenanceLock lock = client.lock();
        client.unlock(lock);
        client.applicationProperties();

        // a call through the load balancer is recorded by the node it reached; the admin URL's calls all by node 2
        assertThat(sim.calls("POST", "/mvc/maintenance/lock")).extracting(RecordedCall::target)
                .containsExactly("bb-node-2");
        assertThat(sim.calls("DELETE", "/mvc/maintenance/lock")).extracting(RecordedCall::target)
                .containsExactly("bb-node-2");
        assertThat(client.baseUrl()).isEqualTo(sim.baseUrl());
    }

    @Test
    void worksUnderAContextPath() throws Exception {
        sim = BitbucketSimulator.builder().nodes(2).contextPath("/bitbucket").start();
        assertThat(sim.baseUrl().getPath()).isEqualTo("/bitbucket");
        BitbucketAdminClient client = SimClients.client(sim, sleeper);
        MaintenanceLock lock = client.lock();
        client.startExternalBackup(lock);
        client.unlock(lock);
        assertThat(client.applicationProperties().version()).isEqualTo("8.19.1");
        assertThat(client.zduCluster().clusterState()).isEqualTo(ClusterState.STABLE);
        assertThat(sim.isLocked()).isFalse();
    }

    @Test
    void progressOutsideZeroToHundredIsRefusedBeforeAnyCall() throws Exception {
        BitbucketAdminClient client = start();
        MaintenanceLock lock = client.lock();
        assertThatThrownBy(() -> client.reportProgress(lock, 101)).hasMessageContaining("0 to 100");
        assertThat(sim.calls("POST", "/mvc/admin/backups/progress")).isEmpty();
        client.unlock(lock);
    }
}
