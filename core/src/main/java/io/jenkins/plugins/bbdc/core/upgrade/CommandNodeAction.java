package io.jenkins.plugins.bbdc.core.upgrade;

import io.jenkins.plugins.bbdc.core.exec.CommandRunner;
import java.util.List;

/**
 * The node action as a command template run through a {@link CommandRunner}, for example
 * {@code ssh {nodeHost} sudo /opt/bitbucket/upgrade.sh {targetVersion}}. A non-zero exit stops the upgrade.
 */
public final class CommandNodeAction implements NodeAction {
    private final CommandRunner runner;
    private final CommandTemplate template;

    public CommandNodeAction(CommandRunner runner, CommandTemplate template) {
        this.runner = runner;
        this.template = template;
    }

    @Override
    public Progress perform(UpgradeNodeContext node) throws Exception {
        runner.check(template.expand(node));
        return Progress.DONE;
    }

    @Override
    public List<String> describe(UpgradeNodeContext node) {
        return List.of("run: " + template.expand(node).display());
    }
}
