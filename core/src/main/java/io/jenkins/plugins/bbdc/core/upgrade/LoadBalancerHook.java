package io.jenkins.plugins.bbdc.core.upgrade;

import java.util.List;

/** Takes a node out of the load balancer before its upgrade and puts it back once it is healthy again. */
public interface LoadBalancerHook {

    /** Take the node out of rotation and let in-flight requests finish (drain). */
    void takeOut(UpgradeNodeContext node) throws Exception;

    /** Put the node back into rotation. */
    void putBack(UpgradeNodeContext node) throws Exception;

    /** False for {@link #NONE}: progress and reports then never claim a node was taken out or put back. */
    default boolean configured() {
        return true;
    }

    default List<String> describeOut(UpgradeNodeContext node) {
        return List.of("load balancer: take " + node.nodeName() + " out (callback)");
    }

    default List<String> describeBack(UpgradeNodeContext node) {
        return List.of("load balancer: put " + node.nodeName() + " back (callback)");
    }

    /** No load-balancer integration: the load balancer's own health checks on /status take nodes out and in. */
    LoadBalancerHook NONE = new LoadBalancerHook() {
        @Override
        public void takeOut(UpgradeNodeContext node) {
        }

        @Override
        public void putBack(UpgradeNodeContext node) {
        }

        @Override
        public boolean configured() {
            return false;
        }

        @Override
        public List<String> describeOut(UpgradeNodeContext node) {
            return List.of();
        }

        @Override
        public List<String> describeBack(UpgradeNodeContext node) {
            return List.of();
        }
    };
}
