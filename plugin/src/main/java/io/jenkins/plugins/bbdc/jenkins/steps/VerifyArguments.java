package io.jenkins.plugins.bbdc.jenkins.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import io.jenkins.plugins.bbdc.core.restore.RestoreSelection;
import io.jenkins.plugins.bbdc.jenkins.Messages;
import java.io.Serializable;

/** The restore test step's arguments as plain values, kept by the running step (never a secret). */
public final class VerifyArguments implements Serializable {
    private static final long serialVersionUID = 1L;

    final String restorePoint;
    final String pointInTime;
    final ComponentChoice components;
    final String originalSharedHome;
    final String sharedHomeSubpath;
    final String scratchHome;
    final String scratchDatabase;
    final int fsckSample;
    final boolean failOnProblems;

    VerifyArguments(@CheckForNull String restorePoint, @CheckForNull String pointInTime, ComponentChoice components,
                    @CheckForNull String originalSharedHome, String sharedHomeSubpath,
                    @CheckForNull String scratchHome, @CheckForNull String scratchDatabase, int fsckSample,
                    boolean failOnProblems) {
        this.restorePoint = restorePoint;
        this.pointInTime = pointInTime;
        this.components = components;
        this.originalSharedHome = originalSharedHome;
        this.sharedHomeSubpath = sharedHomeSubpath;
        this.scratchHome = scratchHome;
        this.scratchDatabase = scratchDatabase;
        this.fsckSample = fsckSample;
        this.failOnProblems = failOnProblems;
    }

    /** Everything that can be judged before anything is restored. */
    void validate() throws AbortException {
        selection();
        if (originalSharedHome == null) {
            throw new AbortException(Messages.VerifyArguments_noOriginalSharedHome());
        }
        if (!originalSharedHome.startsWith("/")) {
            throw new AbortException(Messages.VerifyArguments_notAbsolute("originalSharedHome", originalSharedHome));
        }
        if (scratchHome != null && !scratchHome.startsWith("/")) {
            throw new AbortException(Messages.VerifyArguments_notAbsolute("scratchHome", scratchHome));
        }
        if (scratchHome != null && scratchHome.replaceAll("/+$", "").equals(originalSharedHome.replaceAll("/+$", ""))) {
            throw new AbortException(Messages.VerifyArguments_scratchIsLive(scratchHome));
        }
        if (sharedHomeSubpath.contains("..")) {
            throw new AbortException(Messages.VerifyArguments_badSubpath(sharedHomeSubpath));
        }
        if (fsckSample < 0) {
            throw new AbortException(Messages.VerifyArguments_badFsckSample(fsckSample));
        }
    }

    RestoreSelection selection() throws AbortException {
        return RestoreArguments.selection(restorePoint, pointInTime);
    }
}
