package io.jenkins.plugins.bbdc.jenkins.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeBodiesTest {

    @Test
    void theBodyStartsOncePerNodeAndTheEngineWaitsForItsEnd() throws Exception {
        NodeBodies bodies = new NodeBodies();
        List<String> started = new ArrayList<>();
        assertThat(bodies.perform("1", () -> started.add("1"))).isEqualTo(NodeBodies.Progress.IN_PROGRESS);
        assertThat(bodies.perform("1", () -> started.add("1 again"))).isEqualTo(NodeBodies.Progress.IN_PROGRESS);
        bodies.finished("2", null);   // a stray report for another node changes nothing
        assertThat(bodies.runningNode()).isEqualTo("1");
        bodies.finished("1", null);
        assertThat(bodies.perform("1", () -> started.add("1 third"))).isEqualTo(NodeBodies.Progress.DONE);
        assertThat(bodies.perform("2", () -> started.add("2"))).isEqualTo(NodeBodies.Progress.IN_PROGRESS);
        assertThat(started).containsExactly("1", "2");
    }

    @Test
    void aFailedBodyStopsTheUpgradeWithItsReason() throws Exception {
        NodeBodies bodies = new NodeBodies();
        bodies.perform("bb-node-2", () -> { });
        bodies.finished("bb-node-2", new RuntimeException("script returned exit code 3"));
        assertThatThrownBy(() -> bodies.perform("bb-node-2", () -> { }))
                .hasMessageContaining("bb-node-2").hasMessageContaining("exit code 3");
    }

    @Test
    void afterARestartTheRunningBodyIsNotStartedTwice() throws Exception {
        NodeBodies bodies = new NodeBodies();
        bodies.perform("1", () -> { });
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(bodies);
        }
        NodeBodies restored;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            restored = (NodeBodies) in.readObject();
        }
        List<String> started = new ArrayList<>();
        assertThat(restored.perform("1", () -> started.add("1"))).isEqualTo(NodeBodies.Progress.IN_PROGRESS);
        assertThat(started).isEmpty();
        restored.finished("1", null);
        assertThat(restored.perform("1", () -> { })).isEqualTo(NodeBodies.Progress.DONE);
    }

    @Test
    void theBodySeesTheNodeInItsEnvironment() {
        assertThat(NodeBodies.environment("2", "bb-node-2", "10.0.0.12", "http://10.0.0.12:7990", "8.19.3", 2, 3))
                .containsEntry("BITBUCKET_NODE_ID", "2").containsEntry("BITBUCKET_NODE_NAME", "bb-node-2")
                .containsEntry("BITBUCKET_NODE_HOST", "10.0.0.12").containsEntry("BITBUCKET_NODE_URL", "http://10.0.0.12:7990")
                .containsEntry("BITBUCKET_TARGET_VERSION", "8.19.3").containsEntry("BITBUCKET_NODE_POSITION", "2");
    }
}
