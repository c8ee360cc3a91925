package io.jenkins.plugins.bbdc.testkit.bitbucket;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator.RecordedCall;
import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator.SimNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static io.jenkins.plugins.bbdc.testkit.bitbucket.SimHttp.await;
import static io.jenkins.plugins.bbdc.testkit.bitbucket.SimHttp.errorMessage;
import static io.jenkins.plugins.bbdc.testkit.bitbucket.SimHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

/** The /mvc maintenance lock and external backup flow of section 3, and its faults. */
class MaintenanceApiTest {
    private static final String MAINTENANCE_HEADER = "X-Atlassian-Maintenance-Token";

    private final SimHttp http = new SimHttp();
    private BitbucketSimulator sim;

    @AfterEach
    void closeSimulator() {
        if (sim != null) {
            sim.close();
        }
    }

    private URI base() {
        return sim.baseUrl();
    }

    private String lock() {
        HttpResponse<String> response = http.post(base(), "/mvc/maintenance/lock");
        assertThat(response.statusCode()).isEqualTo(202);
        return json(response).get("unlockToken").asText();
    }

    private String startBackup(String unlockToken) {
        HttpResponse<String> response = http.post(base(), "/mvc/admin/backups?external=true",
                MAINTENANCE_HEADER, unlockToken, "Accept", "application/json");
        assertThat(response.statusCode()).isEqualTo(202);
        return json(response).get("cancelToken").asText();
    }

    private JsonNode poll(String unlockToken) {
        HttpResponse<String> response = http.get(base(), "/mvc/maintenance", MAINTENANCE_HEADER, unlockToken);
        assertThat(response.statusCode()).isEqualTo(200);
        return json(response);
    }

    @Test
    void lockDrainCaptureUnlockFlowAsTheDiyScriptsDoIt() {
        sim = BitbucketSimulator.builder().nodes(2).drainTime(Duration.ofMillis(150)).start();

        String unlockToken = lock();
        assertThat(unlockToken).matches("[0-9a-f]{40}");
        assertThat(sim.isLocked()).isTrue();
        for (SimNode node : sim.nodes()) {
            HttpResponse<String> status = http.get(node.url(), "/status");
            assertThat(status.statusCode()).isEqualTo(200);
            assertThat(json(status).get("state").asText()).isEqualTo("MAINTENANCE");
        }

        String cancelToken = startBackup(unlockToken);
        assertThat(cancelToken).isNotBlank().isNotEqualTo(unlockToken);

        JsonNode first = poll(unlockToken);
        assertThat(first.path("task").path("state").asText()).isEqualTo("RUNNING");
        assertThat(first.get("scm-state").asText()).isEqualTo("AVAILABLE");
        JsonNode[] last = {first};
        await("both DRAINED", () -> {
            last[0] = poll(unlockToken);
            return last[0].get("db-state").asText().equals("DRAINED")
                    && last[0].get("scm-state").asText().equals("DRAINED");
        });
        assertThat(last[0].path("task").path("state").asText()).isEqualTo("RUNNING");

        assertThat(http.post(base(), "/mvc/admin/backups/progress/client?token=" + unlockToken + "&percentage=50")
                .statusCode()).isEqualTo(202);
        assertThat(http.post(base(), "/mvc/admin/backups/progress/client?token=" + unlockToken + "&percentage=100")
                .statusCode()).isEqualTo(202);
        assertThat(http.delete(base(), "/mvc/maintenance/lock?token=" + unlockToken).statusCode()).isEqualTo(200);

        assertThat(sim.isLocked()).isFalse();
        assertThat(sim.progressReports()).containsExactly(50, 100);
        for (SimNode node : sim.nodes()) {
            assertThat(json(http.get(node.url(), "/status")).get("state").asText()).isEqualTo("RUNNING");
        }
        List<RecordedCall> unlocks = sim.calls("DELETE", "/mvc/maintenance/lock");
        assertThat(unlocks).hasSize(1);
        List<RecordedCall> polls = sim.calls("GET", "/mvc/maintenance");
        assertThat(unlocks.get(0).atNanos()).isGreaterThan(polls.get(polls.size() - 1).atNanos());
        assertThat(polls).allSatisfy(call -> assertThat(call.maintenanceHeader()).isTrue());
        assertThat(unlocks.get(0).user()).isEqualTo("admin");
        assertThat(unlocks.get(0).contentType()).isEqualTo("application/json");
        assertThat(unlocks.get(0).query()).contains(unlockToken);
        assertThat(unlocks.get(0).toString()).doesNotContain(unlockToken).contains("token=****");
    }

    @Test
    void secondLockIsRefusedWith409AndTheErrorsBody() {
        sim = BitbucketSimulator.builder().nodes(1).start();
        lock();
        HttpResponse<String> second = http.post(base(), "/mvc/maintenance/lock");
        assertThat(second.statusCode()).isEqualTo(409);
        assertThat(errorMessage(second)).contains("already locked");
    }

    @Test
    void maintenanceTokenIsRequiredToStartAndPoll() {
        sim = BitbucketSimulator.builder().nodes(1).start();
        String unlockToken = lock();
        assertThat(http.post(base(), "/mvc/admin/backups?external=true").statusCode()).isEqualTo(401);
        assertThat(http.post(base(), "/mvc/admin/backups?external=true", MAINTENANCE_HEADER, "0".repeat(40))
                .statusCode()).isEqualTo(401);
        assertThat(http.get(base(), "/mvc/maintenance").statusCode()).isEqualTo(401);
        JsonNode beforeBackup = poll(unlockToken);
        assertThat(beforeBackup.get("db-state").asText()).isEqualTo("AVAILABLE");
        assertThat(beforeBackup.has("task")).isFalse();
        assertThat(http.post(base(), "/mvc/admin/backups/progress/client?token=wrong&percentage=5").statusCode())
                .isEqualTo(401);
        assertThat(http.post(base(), "/mvc/admin/backups/progress/client?token=" + unlockToken + "&percentage=101")
                .statusCode()).isEqualTo(400);
        assertThat(http.delete(base(), "/mvc/maintenance/lock?token=wrong").statusCode()).isEqualTo(401);
        assertThat(sim.isLocked()).isTrue();
    }

    @Test
    void drainThatNeverFinishesStaysAvailable() {
        sim = BitbucketSimulator.builder().nodes(1).drainTime(Duration.ZERO).start();
        sim.faults().drainNeverFinishes(true);
        String unlockToken = lock();
        startBackup(unlockToken);
        for (int i = 0; i < 3; i++) {
            JsonNode state = poll(unlockToken);
            assertThat(state.get("db-state").asText()).isEqualTo("AVAILABLE");
            assertThat(state.get("scm-state").asText()).isEqualTo("AVAILABLE");
        }
    }

    @Test
    void drainByPollCountShowsTheIntermediateState() {
        sim = BitbucketSimulator.builder().nodes(1).start();
        sim.faults().drainAfterPolls(2, 3);
        String unlockToken = lock();
        startBackup(unlockToken);
        assertThat(poll(unlockToken).get("db-state").asText()).isEqualTo("AVAILABLE");
        JsonNode second = poll(unlockToken);
        assertThat(second.get("db-state").asText()).isEqualTo("DRAINED");
        assertThat(second.get("scm-state").asText()).isEqualTo("AVAILABLE");
        assertThat(poll(unlockToken).get("scm-state").asText()).isEqualTo("DRAINED");
    }

    @Test
    void drainTimesPerFieldLetTheDatabaseDrainFirst() {
        sim = BitbucketSimulator.builder().nodes(1).start();
        sim.faults().drainTimes(Duration.ZERO, Duration.ofMinutes(10));
        String unlockToken = lock();
        startBackup(unlockToken);
        JsonNode state = poll(unlockToken);
        assertThat(state.get("db-state").asText()).isEqualTo("DRAINED");
        assertThat(state.get("scm-state").asText()).isEqualTo("AVAILABLE");
    }

    @Test
    void taskStateLeavesRunningAtTheInjectedPoll() {
        sim = BitbucketSimulator.builder().nodes(1).start();
        sim.faults().taskStateAfterPolls(2, "FAILED");
        String unlockToken = lock();
        startBackup(unlockToken);
        assertThat(poll(unlockToken).path("task").path("state").asText()).isEqualTo("RUNNING");
        assertThat(poll(unlockToken).path("task").path("state").asText()).isEqualTo("FAILED");
        assertThat(poll(unlockToken).path("task").path("state").asText()).isEqualTo("FAILED");
        assertThat(http.post(base(), "/mvc/admin/backups?external=true", MAINTENANCE_HEADER, "x").statusCode())
                .isEqualTo(401);
        // The fault is one-shot: a retried backup under the same lock runs clean.
        startBackup(unlockToken);
        assertThat(poll(unlockToken).path("task").path("state").asText()).isEqualTo("RUNNING");
        assertThat(poll(unlockToken).path("task").path("state").asText()).isEqualTo("RUNNING");
    }

    @Test
    void cancelStopsTheTaskButKeepsTheLock() {
        sim = BitbucketSimulator.builder().nodes(1).start();
        String unlockToken = lock();
        String cancelToken = startBackup(unlockToken);
        assertThat(http.post(base(), "/mvc/maintenance?token=" + unlockToken).statusCode()).isEqualTo(401);
        assertThat(http.post(base(), "/mvc/maintenance?token=" + cancelToken).statusCode()).isEqualTo(200);
        assertThat(poll(unlockToken).path("task").path("state").asText()).isEqualTo("CANCELED");
        assertThat(sim.isLocked()).isTrue();
        assertThat(json(http.get(sim.nodes().get(0).url(), "/status")).get("state").asText())
                .isEqualTo("MAINTENANCE");
        assertThat(http.delete(base(), "/mvc/maintenance/lock?token=" + unlockToken).statusCode()).isEqualTo(200);
        assertThat(sim.isLocked()).isFalse();
    }

    @Test
    void lockHeldElsewhereAnswers409AndNodesShowMaintenance() {
        sim = BitbucketSimulator.builder().nodes(1).start();
        sim.faults().lockHeldElsewhere(true);
        HttpResponse<String> response = http.post(base(), "/mvc/maintenance/lock");
        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(errorMessage(response)).isNotBlank();
        assertThat(sim.isLocked()).isFalse();
        assertThat(sim.nodes().get(0).applicationState()).isEqualTo("MAINTENANCE");
    }

    @Test
    void userTrafficIsRefusedWhileLocked() {
        sim = BitbucketSimulator.builder().nodes(1).start();
        assertThat(http.get(base(), "/rest/api/latest/projects").statusCode()).isEqualTo(200);
        String unlockToken = lock();
        assertThat(http.get(base(), "/rest/api/latest/projects").statusCode()).isEqualTo(503);
        http.delete(base(), "/mvc/maintenance/lock?token=" + unlockToken);
        assertThat(http.get(base(), "/rest/api/latest/projects").statusCode()).isEqualTo(200);
    }
}
