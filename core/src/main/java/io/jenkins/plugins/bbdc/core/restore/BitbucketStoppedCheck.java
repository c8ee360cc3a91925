package io.jenkins.plugins.bbdc.core.restore;

import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketAdmin;
import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketException;
import io.jenkins.plugins.bbdc.core.bitbucket.NodeStatus;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Restore preflight: Bitbucket must be stopped everywhere. Every configured node's {@code /status} must be unreachable
 * and the cluster API (through the base URL) must not be answered by a Bitbucket node. Restoring under a running node
 * would let it write into the restored home and database.
 */
public final class BitbucketStoppedCheck {

    /** Why Bitbucket is not considered stopped; empty when it is. */
    public List<String> stillRunning(BitbucketAdmin admin, List<URI> nodeUrls) {
        List<String> running = new ArrayList<>();
        for (URI node : nodeUrls) {
            NodeStatus s = admin.nodeStatus(node);
            if (s.reachable()) {
                running.add("node " + node + " answers /status with HTTP " + s.httpStatus()
                        + (s.state() == null ? "" : " " + s.state()) + ": stop Bitbucket on it first");
            }
        }
        try {
            admin.adminCluster();
            running.add("the cluster API at " + admin.baseUrl() + " answers: at least one node still runs");
        } catch (BitbucketException e) {
            switch (e.kind()) {
                case AUTHENTICATION, FORBIDDEN, NOT_FOUND, CONFLICT ->
                        running.add("the cluster API at " + admin.baseUrl() + " is answered by Bitbucket (HTTP "
                                + e.httpStatus() + "): at least one node still runs");
                default -> {
                    // unreachable, timeout, a proxy page or a 5xx from a load balancer with no node behind it
                }
            }
        }
        return running;
    }
}
