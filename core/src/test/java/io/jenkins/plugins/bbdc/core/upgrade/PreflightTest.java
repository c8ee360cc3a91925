package io.jenkins.plugins.bbdc.core.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.bbdc.core.bitbucket.ClusterInfo;
import io.jenkins.plugins.bbdc.core.bitbucket.Link;
import io.jenkins.plugins.bbdc.core.bitbucket.ZduCluster;
import io.jenkins.plugins.bbdc.core.bitbucket.ZduNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The preflight rules on observed cluster answers (documented JSON shapes of /rest/zdu/cluster and admin/cluster). */
class PreflightTest {

    private static ZduNode node(String id, String name, String ip, String state, String version, int users, int tasks) {
        return new ZduNode(id, name, ip, state, tasks, users, "8019001", version, false, null,
                List.of(new Link("self", "http://bb/rest/zdu/nodes/" + id)));
    }

    private static ZduCluster cluster(String state, boolean upgradeMode, String original, ZduNode... nodes) {
        return new ZduCluster(upgradeMode, false, state, original, List.of(nodes), List.of());
    }

    private static ClusterInfo members(ZduCluster zdu) {
        List<ClusterInfo.ClusterNode> list = new ArrayList<>();
        for (ZduNode n : zdu.nodes()) {
            list.add(new ClusterInfo.ClusterNode(n.id() + "-5c2e-4f61", n.name(), n.ipAddress(), 5701, n.version(),
                    false));
        }
        return new ClusterInfo(true, list.get(0), list);
    }

    private static UpgradeOptions.Builder options(String target) {
        return UpgradeOptions.builder(target).nodeUrlTemplate("http://{nodeHost}:7990");
    }

    private static ZduCluster stable3() {
        return cluster("STABLE", false, null,
                node("a1", "bb-node-1", "10.0.0.1", "ACTIVE", "8.19.1", 14, 2),
                node("b2", "bb-node-2", "10.0.0.2", "ACTIVE", "8.19.1", 3, 0),
                node("c3", "bb-node-3", "10.0.0.3", "ACTIVE", "8.19.1", 6, 1));
    }

    @Test
    void stableClusterOnOneVersionPassesAndOrdersByFewestUsersPlusTasks() {
        ZduCluster zdu = stable3();
        Preflight.Result r = Preflight.check(options("8.19.3").build(), zdu, members(zdu));

        assertThat(r.refusals()).isEmpty();
        assertThat(r.mode()).isEqualTo(Preflight.Mode.FRESH);
        assertThat(r.originalVersion()).isEqualTo("8.19.1");
        assertThat(r.nodes()).extracting(n -> n.name).containsExactly("bb-node-2", "bb-node-3", "bb-node-1");
        assertThat(r.nodes()).extracting(n -> n.url)
                .containsExactly("http://10.0.0.2:7990", "http://10.0.0.3:7990", "http://10.0.0.1:7990");
    }

    @Test
    void featureAndMajorUpgradesAreRefusedPointingToTheDowntimeProcedure() {
        ZduCluster zdu = stable3();
        Preflight.Result feature = Preflight.check(options("8.20.0").build(), zdu, members(zdu));
        Preflight.Result major = Preflight.check(options("9.0.0").build(), zdu, members(zdu));
        Preflight.Result older = Preflight.check(options("8.19.0").build(), zdu, members(zdu));

        assertThat(feature.refusals()).singleElement().asString()
                .contains("feature upgrade").contains("downtime");
        assertThat(major.refusals()).singleElement().asString().contains("major upgrade");
        assertThat(older.refusals()).singleElement().asString().contains("not newer");
    }

    @Test
    void refusesASingleNodeANodeNotActiveAndMixedVersions() {
        ZduCluster one = cluster("STABLE", false, null, node("a1", "bb-node-1", "10.0.0.1", "ACTIVE", "8.19.1", 0, 0));
        assertThat(Preflight.check(options("8.19.3").build(), one, members(one)).refusals())
                .anySatisfy(m -> assertThat(m).contains("at least two nodes"));

        ZduCluster starting = cluster("STABLE", false, null,
                node("a1", "bb-node-1", "10.0.0.1", "ACTIVE", "8.19.1", 0, 0),
                node("b2", "bb-node-2", "10.0.0.2", "STARTING", "8.19.1", 0, 0));
        assertThat(Preflight.check(options("8.19.3").build(), starting, members(starting)).refusals())
                .singleElement().asString().contains("every node must be ACTIVE").contains("bb-node-2 is STARTING");

        ZduCluster mixed = cluster("STABLE", false, null,
                node("a1", "bb-node-1", "10.0.0.1", "ACTIVE", "8.19.1", 0, 0),
                node("b2", "bb-node-2", "10.0.0.2", "ACTIVE", "8.19.2", 0, 0));
        assertThat(Preflight.check(options("8.19.3").build(), mixed, members(mixed)).refusals())
                .singleElement().asString().contains("different versions");
    }

    @Test
    void everyNodeNeedsItsOwnUrlAndConfiguredUrlsMustNameRealNodes() {
        ZduCluster zdu = stable3();
        UpgradeOptions o = UpgradeOptions.builder("8.19.3")
                .nodeUrl("bb-node-1", "http://n1:7990/")
                .nodeUrl("10.0.0.2", "http://n2:7990")
                .nodeUrl("bb-node-4", "http://n4:7990").build();
        Preflight.Result r = Preflight.check(o, zdu, members(zdu));

        assertThat(r.refusals()).anySatisfy(m -> assertThat(m).startsWith("no node URL for bb-node-3"));
        assertThat(r.refusals()).anySatisfy(m -> assertThat(m).contains("'bb-node-4'").contains("no such node"));
        assertThat(r.nodes()).filteredOn(n -> n.name.equals("bb-node-1")).singleElement()
                .satisfies(n -> assertThat(n.url).isEqualTo("http://n1:7990"));
    }

    @Test
    void minimumActiveNodesIsEnforced() {
        ZduCluster zdu = stable3();
        Preflight.Result r = Preflight.check(options("8.19.3").minActiveNodes(3).build(), zdu, members(zdu));
        assertThat(r.refusals()).singleElement().asString().contains("at least 3 node(s) must stay active")
                .contains("would leave 2");
    }

    @Test
    void explicitOrderByNameOrIdThenTheRestByLoad() {
        ZduCluster zdu = stable3();
        Preflight.Result r = Preflight.check(options("8.19.3").nodeOrder(List.of("bb-node-1", "c3")).build(), zdu,
                members(zdu));
        assertThat(r.refusals()).isEmpty();
        assertThat(r.nodes()).extracting(n -> n.name).containsExactly("bb-node-1", "bb-node-3", "bb-node-2");

        Preflight.Result unknown = Preflight.check(options("8.19.3").nodeOrder(List.of("bb-node-9")).build(), zdu,
                members(zdu));
        assertThat(unknown.refusals()).singleElement().asString().contains("'bb-node-9'")
                .contains("not a node of this cluster");
        Preflight.Result twice = Preflight.check(options("8.19.3").nodeOrder(List.of("bb-node-1", "a1")).build(),
                zdu, members(zdu));
        assertThat(twice.refusals()).singleElement().asString().contains("twice");
    }

    @Test
    void aClusterMemberMissingFromTheUpgradeViewIsRefused() {
        ZduCluster zdu = stable3();
        List<ClusterInfo.ClusterNode> list = new ArrayList<>(members(zdu).nodes());
        list.add(new ClusterInfo.ClusterNode("d4-xx", "bb-node-4", "10.0.0.4", 5701, "8.19.1", false));
        Preflight.Result r = Preflight.check(options("8.19.3").build(), zdu, new ClusterInfo(true, list.get(0), list));
        assertThat(r.refusals()).singleElement().asString().contains("bb-node-4").contains("absent");
    }

    @Test
    void aMixedClusterWithTheSameTargetContinuesAndSkipsUpgradedNodes() {
        ZduCluster zdu = cluster("MIXED", true, "8.19.1",
                node("a1", "bb-node-1", "10.0.0.1", "ACTIVE", "8.19.3", 0, 0),
                node("b2", "bb-node-2", "10.0.0.2", "ACTIVE", "8.19.1", 0, 0),
                node("c3", "bb-node-3", "10.0.0.3", "OFFLINE", "8.19.1", 0, 0));
        Preflight.Result r = Preflight.check(options("8.19.3").build(), zdu, null);

        assertThat(r.refusals()).isEmpty();
        assertThat(r.mode()).isEqualTo(Preflight.Mode.CONTINUE);
        assertThat(r.originalVersion()).isEqualTo("8.19.1");
        assertThat(r.nodes()).filteredOn(n -> n.step == NodeStep.SKIPPED).extracting(n -> n.name)
                .containsExactly("bb-node-1");

        Preflight.Result otherTarget = Preflight.check(options("8.19.4").build(), zdu, null);
        assertThat(otherTarget.refusals()).singleElement().asString().contains("bb-node-1 runs 8.19.3")
                .contains("neither the original");
    }

    @Test
    void aNodeInErrorDuringUpgradeModeIsRefused() {
        ZduCluster zdu = cluster("MIXED", true, "8.19.1",
                node("a1", "bb-node-1", "10.0.0.1", "ERROR", "8.19.3", 0, 0),
                node("b2", "bb-node-2", "10.0.0.2", "ACTIVE", "8.19.1", 0, 0));
        assertThat(Preflight.check(options("8.19.3").build(), zdu, null).refusals())
                .singleElement().asString().contains("bb-node-1 is in ERROR");
    }

    @Test
    void alreadyOnTheTargetMeansNothingToDo() {
        ZduCluster zdu = cluster("STABLE", false, null,
                node("a1", "bb-node-1", "10.0.0.1", "ACTIVE", "8.19.3", 0, 0),
                node("b2", "bb-node-2", "10.0.0.2", "ACTIVE", "8.19.3", 0, 0));
        Preflight.Result r = Preflight.check(options("8.19.3").build(), zdu, members(zdu));
        assertThat(r.refusals()).isEmpty();
        assertThat(r.mode()).isEqualTo(Preflight.Mode.ALREADY_DONE);
    }

    @Test
    void anUnreadableTargetVersionIsRefused() {
        ZduCluster zdu = stable3();
        assertThat(Preflight.check(options("latest").build(), zdu, members(zdu)).refusals())
                .singleElement().asString().contains("'latest' is not a Bitbucket version");
    }
}
