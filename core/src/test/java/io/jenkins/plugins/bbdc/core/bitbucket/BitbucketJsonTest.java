package io.jenkins.plugins.bbdc.core.bitbucket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * Example bodies of Bitbucket's admin API (docs/bitbucket-api-coverage.md) and the client's tolerance of unknown
 * fields and values.
 */
class BitbucketJsonTest {

    private static JsonNode json(String text) throws Exception {
        return BitbucketJson.parse(text);
    }

    @Test
    void lockAndBackupTokens() throws Exception {
        assertThat(BitbucketJson.unlockToken(json("{ \"unlockToken\": \"3b8e1f0a9c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f\" }")))
                .isEqualTo("3b8e1f0a9c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f");
        assertThat(BitbucketJson.cancelToken(json("{ \"cancelToken\": \"c0ffee1234567890abcdef1234567890abcdef12\","
                + " \"extra\": 1 }"))).isEqualTo("c0ffee1234567890abcdef1234567890abcdef12");
        assertThat(BitbucketJson.unlockToken(json("{}"))).isNull();
    }

    @Test
    void maintenanceStatusWhileDrainingThenDrained() throws Exception {
        MaintenanceStatus draining = BitbucketJson.maintenanceStatus(json(
                "{ \"task\": { \"state\": \"RUNNING\" }, \"db-state\": \"DRAINED\", \"scm-state\": \"AVAILABLE\" }"));
        assertThat(draining.drained()).isFalse();
        assertThat(draining.taskFailed()).isFalse();
        MaintenanceStatus drained = BitbucketJson.maintenanceStatus(json(
                "{ \"task\": { \"state\": \"RUNNING\" }, \"db-state\": \"DRAINED\", \"scm-state\": \"DRAINED\" }"));
        assertThat(drained.drained()).isTrue();
        assertThat(drained).isEqualTo(new MaintenanceStatus("DRAINED", "DRAINED", "RUNNING"));
    }

    @Test
    void maintenanceStatusWithoutTaskOrWithAFailedTask() throws Exception {
        MaintenanceStatus noTask = BitbucketJson.maintenanceStatus(json(
                "{\"db-state\":\"AVAILABLE\",\"scm-state\":\"AVAILABLE\"}"));
        assertThat(noTask.taskState()).isNull();
        assertThat(noTask.taskFailed()).isFalse();
        MaintenanceStatus failed = BitbucketJson.maintenanceStatus(json(
                "{\"task\":{\"state\":\"FAILED\",\"progress\":{\"percentage\":10}},\"db-state\":\"DRAINING\","
                        + "\"scm-state\":\"DRAINED\"}"));
        assertThat(failed.taskFailed()).isTrue();
        assertThat(failed.dbState()).isEqualTo("DRAINING");
    }

    @Test
    void applicationProperties() throws Exception {
        ApplicationProperties p = BitbucketJson.applicationProperties(json("{ \"version\": \"8.19.2\","
                + " \"buildNumber\": \"8019002\", \"buildDate\": \"1712345678901\", \"displayName\": \"Bitbucket\" }"));
        assertThat(p).isEqualTo(new ApplicationProperties("8.19.2", "8019002", "1712345678901", "Bitbucket"));
        assertThat(p.parsedVersion()).isEqualTo(BitbucketVersion.parse("8.19.2"));
        // buildDate as a JSON number is kept as its text
        assertThat(BitbucketJson.applicationProperties(json("{\"version\":\"9.4.0\",\"buildDate\":1712345678901}"))
                .buildDate()).isEqualTo("1712345678901");
    }

    @Test
    void adminCluster() throws Exception {
        ClusterInfo c = BitbucketJson.clusterInfo(json("""
                {
                  "running": true,
                  "localNode": { "id": "b41d07aa-5c2e-4f61-9d3a-0e7c1b2a4f58", "name": "bb-node-2",
                                 "address": { "address": "10.0.1.12", "port": 5701 }, "buildVersion": "8.19.1", "local": true },
                  "nodes": [
                    { "id": "7f3a9c2e-1b0d-4e8f-a6c5-3d2e1f0a9b87", "name": "bb-node-1",
                      "address": { "address": "10.0.1.11", "port": 5701 }, "buildVersion": "8.19.1", "local": false },
                    { "id": "b41d07aa-5c2e-4f61-9d3a-0e7c1b2a4f58", "name": "bb-node-2",
                      "address": { "address": "10.0.1.12", "port": 5701 }, "buildVersion": "8.19.1", "local": true }
                  ]
                }"""));
        assertThat(c.running()).isTrue();
        assertThat(c.localNode().name()).isEqualTo("bb-node-2");
        assertThat(c.nodes()).hasSize(2);
        assertThat(c.nodes().get(0)).isEqualTo(new ClusterInfo.ClusterNode("7f3a9c2e-1b0d-4e8f-a6c5-3d2e1f0a9b87",
                "bb-node-1", "10.0.1.11", 5701, "8.19.1", false));
    }

    @Test
    void zduClusterStableWithLinks() throws Exception {
        ZduCluster c = BitbucketJson.zduCluster(json("""
                {
                  "upgradeModeEnabled": false,
                  "state": "STABLE",
                  "originalVersion": null,
                  "nodes": [
                    { "id": "7f3a9c2e", "name": "bb-node-1", "ipAddress": "10.0.1.11", "state": "ACTIVE", "tasksTotal": 2,
                      "activeUserCount": 14, "buildNumber": "8019001", "version": "8.19.1", "local": true,
                      "links": [ { "rel": "self", "href": "https://bb.example.com/rest/zdu/nodes/7f3a9c2e" } ] },
                    { "id": "b41d07aa", "name": "bb-node-2", "ipAddress": "10.0.1.12", "state": "ACTIVE", "tasksTotal": 0,
                      "activeUserCount": 6, "buildNumber": "8019001", "version": "8.19.1", "local": false,
                      "links": [ { "rel": "self", "href": "https://bb.example.com/rest/zdu/nodes/b41d07aa" } ] }
                  ],
                  "links": [
                    { "rel": "self", "href": "https://bb.example.com/rest/zdu/cluster" },
                    { "rel": "start", "href": "https://bb.example.com/rest/zdu/start" }
                  ]
                }"""));
        assertThat(c.clusterState()).isEqualTo(ClusterState.STABLE);
        assertThat(c.upgradeModeEnabled()).isFalse();
        assertThat(c.originalVersion()).isNull();
        assertThat(c.hasFinalizationTasks()).isNull();
        assertThat(c.link("start")).contains("https://bb.example.com/rest/zdu/start");
        assertThat(c.link("approve")).isEmpty();
        ZduNode n1 = c.node("7f3a9c2e").orElseThrow();
        assertThat(n1.nodeState()).isEqualTo(NodeState.ACTIVE);
        assertThat(n1.load()).isEqualTo(16);
        assertThat(n1.local()).isTrue();
        assertThat(n1.portNumber()).isNull();
        assertThat(n1.links()).containsExactly(new Link("self", "https://bb.example.com/rest/zdu/nodes/7f3a9c2e"));
    }

    @Test
    void zduClusterMixedHasNoActionLinks() throws Exception {
        ZduCluster c = BitbucketJson.zduCluster(json("""
                {
                  "upgradeModeEnabled": true, "state": "MIXED", "originalVersion": "8.19.1",
                  "hasFinalizationTasks": false,
                  "nodes": [
                    { "id": "7f3a9c2e", "name": "bb-node-1", "ipAddress": "10.0.1.11", "state": "ACTIVE", "tasksTotal": 1,
                      "activeUserCount": 9, "buildNumber": "8019002", "version": "8.19.2", "local": false, "portNumber": 7990,
                      "finalization": { "whatever": true } }
                  ],
                  "links": [ { "rel": "self", "href": "https://bb.example.com/rest/zdu/cluster" } ]
                }"""));
        assertThat(c.clusterState()).isEqualTo(ClusterState.MIXED);
        assertThat(c.hasFinalizationTasks()).isFalse();
        assertThat(c.originalVersion()).isEqualTo("8.19.1");
        assertThat(c.links()).extracting(Link::rel).containsExactly("self");
        assertThat(c.nodes().get(0).portNumber()).isEqualTo(7990);
    }

    @Test
    void zduStateResponse() throws Exception {
        ZduStateResponse s = BitbucketJson.zduState(json("""
                {
                  "state": "READY_TO_UPGRADE",
                  "buildInfo": { "id": "b41d07aa", "name": "bb-node-2", "ipAddress": "10.0.1.12", "state": "ACTIVE",
                                 "tasksTotal": 0, "activeUserCount": 4, "buildNumber": "8019001", "version": "8.19.1",
                                 "local": true, "links": [ { "rel": "self", "href": "https://bb.example.com/rest/zdu/nodes/b41d07aa" } ] }
                }"""));
        assertThat(s.clusterState()).isEqualTo(ClusterState.READY_TO_UPGRADE);
        assertThat(s.buildInfo().version()).isEqualTo("8.19.1");
        assertThat(s.buildInfo().local()).isTrue();
    }

    @Test
    void unknownEnumValuesAreKeptRawAndMapToUnknown() throws Exception {
        ZduCluster c = BitbucketJson.zduCluster(json("{\"state\":\"HALF_UPGRADED\",\"upgradeModeEnabled\":true,"
                + "\"nodes\":[{\"id\":\"a\",\"state\":\"HIBERNATING\",\"tasksTotal\":null}]}"));
        assertThat(c.state()).isEqualTo("HALF_UPGRADED");
        assertThat(c.clusterState()).isEqualTo(ClusterState.UNKNOWN);
        assertThat(c.nodes().get(0).state()).isEqualTo("HIBERNATING");
        assertThat(c.nodes().get(0).nodeState()).isEqualTo(NodeState.UNKNOWN);
        assertThat(c.nodes().get(0).tasksTotal()).isNull();
        assertThat(c.links()).isEmpty();
    }

    @Test
    void newerPluginNodeStatesAreKnown() throws Exception {
        ZduNode n = BitbucketJson.zduNode(json("{\"id\":\"a\",\"state\":\"RUNNING_FINALIZE_UPGRADE_TASKS\"}"));
        assertThat(n.nodeState()).isEqualTo(NodeState.RUNNING_FINALIZE_UPGRADE_TASKS);
    }

    @Test
    void meshNodeWithNumericIdAndStringRpcId() throws Exception {
        MeshNode m = BitbucketJson.meshNode(json("""
                { "id": 2, "name": "mesh-2", "rpcId": "5c1e0f2a", "rpcUrl": "https://mesh-2.example.com:7777",
                  "availabilityZone": "eu-west-1b", "lastSeenDate": 1732180000000, "offline": false, "state": "AVAILABLE" }"""));
        assertThat(m).isEqualTo(new MeshNode("2", "mesh-2", "5c1e0f2a", "https://mesh-2.example.com:7777",
                "eu-west-1b", 1732180000000L, false, "AVAILABLE"));
        assertThat(m.meshState()).isEqualTo(MeshNodeState.AVAILABLE);
    }

    @Test
    void meshNodeWithStringIdNumericRpcIdAndUnknownState() throws Exception {
        MeshNode m = BitbucketJson.meshNode(json("{\"id\":\"7\",\"rpcId\":12345,\"state\":\"REBALANCING\","
                + "\"lastSeenDate\":\"1732180000000\",\"offline\":true}"));
        assertThat(m.id()).isEqualTo("7");
        assertThat(m.rpcId()).isEqualTo("12345");
        assertThat(m.lastSeenDate()).isEqualTo(1732180000000L);
        assertThat(m.offline()).isTrue();
        assertThat(m.meshState()).isEqualTo(MeshNodeState.UNKNOWN);
        assertThat(m.availabilityZone()).isNull();
    }

    @Test
    void meshListBareOrPaged() throws Exception {
        assertThat(BitbucketJson.meshNodes(json("[{\"id\":1,\"name\":\"mesh-1\"},{\"id\":2,\"name\":\"mesh-2\"}]")))
                .extracting(MeshNode::name).containsExactly("mesh-1", "mesh-2");
        JsonNode paged = json("{\"size\":1,\"limit\":25,\"isLastPage\":true,\"start\":0,"
                + "\"values\":[{\"id\":3,\"name\":\"mesh-3\"}]}");
        assertThat(BitbucketJson.isMeshList(paged)).isTrue();
        assertThat(BitbucketJson.meshNodes(paged)).extracting(MeshNode::id).containsExactly("3");
        assertThat(BitbucketJson.isMeshList(json("{\"errors\":[]}"))).isFalse();
    }

    @Test
    void errorBodyMessage() throws Exception {
        assertThat(BitbucketJson.errorMessage(json("{ \"errors\": [ { \"context\": null, \"message\":"
                + " \"Authentication failed. Please check your credentials and try again.\", \"exceptionName\": null } ] }")))
                .isEqualTo("Authentication failed. Please check your credentials and try again.");
        assertThat(BitbucketJson.errorMessage(json("{\"errors\":[]}"))).isNull();
        assertThat(BitbucketJson.errorMessage(json("{\"message\":\"Rolling upgrades feature requires a clustered"
                + " installation.\"}"))).contains("clustered");
    }

    @Test
    void notJsonIsRefused() {
        assertThatThrownBy(() -> BitbucketJson.parse("<html><body>Sign in</body></html>"))
                .isInstanceOf(com.fasterxml.jackson.core.JsonProcessingException.class);
    }
}
