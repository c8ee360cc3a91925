package io.jenkins.plugins.bbdc.jenkins.runtime;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.FilePath;
import hudson.Launcher;
import hudson.remoting.VirtualChannel;
import io.jenkins.plugins.bbdc.core.restore.RestoreEngine;
import io.jenkins.plugins.bbdc.jenkins.Messages;
import io.jenkins.plugins.bbdc.jenkins.config.BitbucketInstance;

/**
 * Where a build's file work for a restore or restore test runs (the restore's clean-up of the shared home, the restore
 * test's filesystem checks and {@code git fsck}, provider commands that restore files): on the build's agent, through
 * its channel, or on the controller — outside a {@code node} block (in this JVM) or in one on the built-in node.
 * A job author must not reach the controller's file system through these steps unless an administrator allowed it
 * for the instance ({@link BitbucketInstance#isAllowControllerFileSystem()}), so {@link #require} refuses otherwise.
 */
public final class FileWorkSite {
    /** Where the enclosing {@code node} block, if any, runs. */
    public enum Kind {
        AGENT, BUILT_IN_NODE, NO_NODE
    }

    public static final String AGENT = "agent";
    public static final String CONTROLLER = "controller";

    private final Kind kind;
    private final VirtualChannel channel;

    /** @param channel the agent's channel (null: this JVM, as {@link FilePath} takes it) */
    public FileWorkSite(Kind kind, @CheckForNull VirtualChannel channel) {
        this.kind = kind;
        this.channel = channel;
    }

    /**
     * The site of the build's launcher: none is the controller itself; the built-in node's launcher has the
     * controller's local channel ({@code Jenkins.createLauncher} is a {@code LocalLauncher}, whose channel is
     * {@link FilePath#localChannel}); an agent's launcher has the agent's channel.
     */
    public static FileWorkSite of(@CheckForNull Launcher launcher) {
        if (launcher == null) {
            return new FileWorkSite(Kind.NO_NODE, null);
        }
        VirtualChannel c = launcher.getChannel();
        return c == null || c == FilePath.localChannel ? new FileWorkSite(Kind.BUILT_IN_NODE, c)
                : new FileWorkSite(Kind.AGENT, c);
    }

    public Kind kind() {
        return kind;
    }

    public boolean onController() {
        return kind != Kind.AGENT;
    }

    /** {@code agent} or {@code controller}, as log lines and results name it. */
    public String where() {
        return onController() ? CONTROLLER : AGENT;
    }

    /**
     * This site, when {@code work} may run here for {@code instance}.
     *
     * @param work what would run, e.g. "The restore test's scratch home, filesystem checks and git fsck"
     * @throws AbortException on the controller without the instance's allowance, saying what to do
     */
    public FileWorkSite require(BitbucketInstance instance, String work) throws AbortException {
        if (onController() && !instance.isAllowControllerFileSystem()) {
            throw new AbortException(Messages.FileWorkSite_refused(work, kind == Kind.NO_NODE
                    ? Messages.FileWorkSite_noNode() : Messages.FileWorkSite_builtInNode(), instance.getId()));
        }
        return this;
    }

    /** The restore test's home check, run here. */
    public HomeCheckOnNode homeCheck() {
        return new HomeCheckOnNode(channel, where());
    }

    /** The restore's work in the shared home, run here. */
    public RestoreEngine.SharedHomeWork sharedHomeWork() {
        return new SharedHomeOnNode(channel);
    }
}
