package io.jenkins.plugins.bbdc.core.upgrade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class UpgradeStateTest {

    @Test
    void roundTripsThroughJsonWithOptionsNodesAndTimings() {
        UpgradeOptions o = UpgradeOptions.builder("8.19.3").nodeOrder(List.of("bb-node-2"))
                .nodeUrl("bb-node-1", "http://n1:7990").nodeTimeout(Duration.ofMinutes(7))
                .pollInterval(Duration.ofMillis(250)).minActiveNodes(2).backupFirst(true)
                .resumeCommand("bbdc-ops upgrade --target 8.19.3").build();
        Instant t0 = Instant.parse("2026-11-21T11:00:00Z");
        UpgradeState s = UpgradeState.initial(o, t0);
        s.phase = UpgradePhase.UPGRADE_NODES;
        s.originalVersion = "8.19.1";
        NodeRecord n = new NodeRecord("a1", "bb-node-1", "10.0.0.1", "http://n1:7990", "8.19.1", 4);
        n.step = NodeStep.WAITING;
        n.startedAt = t0;
        n.outAt = t0.plusMillis(1500);
        n.actionStartedAt = t0.plusMillis(1500);
        n.actionEndedAt = t0.plusSeconds(40);
        s.nodes.add(n);
        s.currentNodeId = "a1";

        UpgradeState back = UpgradeState.fromJson(s.toJson());

        assertThat(back.options).isEqualTo(o);
        assertThat(back.phase).isEqualTo(UpgradePhase.UPGRADE_NODES);
        assertThat(back.currentNode()).get().satisfies(r -> {
            assertThat(r.step).isEqualTo(NodeStep.WAITING);
            assertThat(r.outTime()).isEqualTo(Duration.ofMillis(1500));
            assertThat(r.actionTime()).isEqualTo(Duration.ofMillis(38500));
        });
        assertThat(s.toJson()).contains("\"2026-11-21T11:00:00Z\"").contains("\"PT7M\"");
    }

    @Test
    void unknownFieldsAreIgnoredButNewerFormatsAndGarbageAreRefused() {
        String json = UpgradeState.initial(UpgradeOptions.builder("8.19.3").build(), Instant.EPOCH).toJson();
        assertThat(UpgradeState.fromJson(json.replaceFirst("\\{", "{\"addedLater\": 1,")).options.targetVersion())
                .isEqualTo("8.19.3");
        assertThatThrownBy(() -> UpgradeState.fromJson(json.replace("\"format\" : 1", "\"format\" : 9")))
                .hasMessageContaining("newer version");
        assertThatThrownBy(() -> UpgradeState.fromJson("{}")).hasMessageContaining("not an upgrade state");
        assertThatThrownBy(() -> UpgradeState.fromJson("nonsense")).hasMessageContaining("not a readable");
    }

    @Test
    void optionsRejectNonsense() {
        assertThatThrownBy(() -> UpgradeOptions.builder(" ").build()).hasMessageContaining("no target version");
        assertThatThrownBy(() -> UpgradeOptions.builder("8.19.3").pollInterval(Duration.ZERO).build())
                .hasMessageContaining("positive");
    }
}
