package io.jenkins.plugins.bbdc.jenkins.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.bbdc.core.upgrade.NodeRecord;
import io.jenkins.plugins.bbdc.core.upgrade.UpgradeOptions;
import io.jenkins.plugins.bbdc.core.upgrade.UpgradePhase;
import io.jenkins.plugins.bbdc.core.upgrade.UpgradeState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UpgradeResultTest {

    @Test
    void theResultIsTheNodeByNodeTimelineInPlainValues() {
        Instant t = Instant.parse("2026-11-21T03:00:00Z");
        UpgradeState s = UpgradeState.initial(UpgradeOptions.builder("8.19.3").build(), t);
        s.phase = UpgradePhase.DONE;
        s.originalVersion = "8.19.1";
        s.finalVersion = "8.19.3";
        NodeRecord n = new NodeRecord();
        n.id = "1";
        n.name = "bb-node-1";
        n.originalVersion = "8.19.1";
        n.lastVersion = "8.19.3";
        n.startedAt = t;
        n.readyAt = t.plusSeconds(90);
        s.nodes.add(n);
        Map<String, Object> m = UpgradeExecution.toMap(UpgradeState.fromJson(s.toJson()));
        BackupOperationTest.assertPlain(m);
        assertThat(m).containsEntry("phase", "DONE").containsEntry("targetVersion", "8.19.3")
                .containsEntry("finalVersion", "8.19.3");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> nodes = (List<Map<String, Object>>) m.get("nodes");
        assertThat(nodes.get(0)).containsEntry("node", "bb-node-1").containsEntry("from", "8.19.1")
                .containsEntry("to", "8.19.3").containsEntry("ready", "2026-11-21T03:01:30Z");
    }
}
