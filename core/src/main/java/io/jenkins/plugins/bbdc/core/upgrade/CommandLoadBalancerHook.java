package io.jenkins.plugins.bbdc.core.upgrade;

import io.jenkins.plugins.bbdc.core.exec.CommandRunner;
import java.util.List;

/** Load-balancer hooks as command templates (an API call with curl, a script that edits the pool). Either may be null. */
public final class CommandLoadBalancerHook implements LoadBalancerHook {
    private final CommandRunner runner;
    private final CommandTemplate out;
    private final CommandTemplate back;

    public CommandLoadBalancerHook(CommandRunner runner, CommandTemplate out, CommandTemplate back) {
        this.runner = runner;
        this.out = out;
        this.back = back;
    }

    @Override
    public void takeOut(UpgradeNodeContext node) throws Exception {
        if (out != null) {
            runner.check(out.expand(node));
        }
    }

    @Override
    public void putBack(UpgradeNodeContext node) throws Exception {
        if (back != null) {
            runner.check(back.expand(node));
        }
    }

    @Override
    public List<String> describeOut(UpgradeNodeContext node) {
        return out == null ? List.of() : List.of("load balancer out: " + out.expand(node).display());
    }

    @Override
    public List<String> describeBack(UpgradeNodeContext node) {
        return back == null ? List.of() : List.of("load balancer back in: " + back.expand(node).display());
    }
}
