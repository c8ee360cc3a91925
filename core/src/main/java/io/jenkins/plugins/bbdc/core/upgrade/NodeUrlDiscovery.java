package io.jenkins.plugins.bbdc.core.upgrade;

import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketAdmin;
import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketException;
import io.jenkins.plugins.bbdc.core.bitbucket.ClusterInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds out which node each of a plain list of node URLs reaches, so an administrator can list node URLs once (as
 * the restore's stopped check needs them) without keying them by node name: each URL is asked
 * {@code GET /rest/api/latest/admin/cluster} and its {@code localNode} is the node behind it. The result is keyed by
 * node id, the way {@link UpgradeOptions.Builder#nodeUrl(String, String)} accepts it.
 */
public final class NodeUrlDiscovery {

    /** Opens an admin client on one node's own base URL (same credentials as the instance). */
    @FunctionalInterface
    public interface NodeClients {
        BitbucketAdmin open(String nodeUrl) throws Exception;
    }

    private NodeUrlDiscovery() {
    }

    /**
     * @return node id → URL for every URL
     * @throws IllegalStateException naming every URL that did not answer, answered as a node already seen (two URLs
     *                               for one node: probably a load balancer address) or gave no local node
     */
    public static Map<String, String> byNodeId(List<String> nodeUrls, NodeClients clients) throws InterruptedException {
        Map<String, String> byId = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (String url : nodeUrls) {
            ClusterInfo.ClusterNode local;
            try {
                local = clients.open(url).adminCluster().localNode();
            } catch (InterruptedException e) {
                throw e;
            } catch (BitbucketException e) {
                problems.add(url + " did not say which node it is (" + e.getMessage() + ")");
                continue;
            } catch (Exception e) {
                problems.add(url + " could not be asked which node it is (" + e.getMessage() + ")");
                continue;
            }
            if (local == null || local.id() == null) {
                problems.add(url + " answered without its local node: is it a Bitbucket Data Center node?");
                continue;
            }
            String earlier = byId.putIfAbsent(local.id(), url);
            if (earlier != null) {
                problems.add(url + " and " + earlier + " both reach node " + local.name() + " (id " + local.id()
                        + "): list each node's own URL once, never the load balancer's");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("the node URLs must each reach one running node: "
                    + String.join("; ", problems) + ". Start the node, correct the URL or remove it from the"
                    + " instance's node URLs");
        }
        return byId;
    }
}
