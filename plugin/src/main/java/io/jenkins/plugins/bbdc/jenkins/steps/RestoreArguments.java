package io.jenkins.plugins.bbdc.jenkins.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import io.jenkins.plugins.bbdc.core.restore.RestoreSelection;
import io.jenkins.plugins.bbdc.jenkins.Messages;
import java.io.Serializable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** The restore step's arguments as plain values, kept by the running step. */
public final class RestoreArguments implements Serializable {
    private static final long serialVersionUID = 1L;

    final String restorePoint;
    final String pointInTime;
    final ComponentChoice components;
    final boolean allowReplace;
    final boolean dryRun;
    final String sharedHome;
    final boolean enableIntegrityCheck;
    final boolean allowIncomplete;
    final boolean skipStoppedCheck;
    /** Recreate missing manifests from the providers' listings before the point is selected. */
    final boolean rebuildCatalog;

    RestoreArguments(@CheckForNull String restorePoint, @CheckForNull String pointInTime, ComponentChoice components,
                     boolean allowReplace, boolean dryRun, @CheckForNull String sharedHome,
                     boolean enableIntegrityCheck, boolean allowIncomplete, boolean skipStoppedCheck) {
        this(restorePoint, pointInTime, components, allowReplace, dryRun, sharedHome, enableIntegrityCheck,
                allowIncomplete, skipStoppedCheck, false);
    }

    RestoreArguments(@CheckForNull String restorePoint, @CheckForNull String pointInTime, ComponentChoice components,
                     boolean allowReplace, boolean dryRun, @CheckForNull String sharedHome,
                     boolean enableIntegrityCheck, boolean allowIncomplete, boolean skipStoppedCheck,
                     boolean rebuildCatalog) {
        this.restorePoint = restorePoint;
        this.pointInTime = pointInTime;
        this.components = components;
        this.allowReplace = allowReplace;
        this.dryRun = dryRun;
        this.sharedHome = sharedHome;
        this.enableIntegrityCheck = enableIntegrityCheck;
        this.allowIncomplete = allowIncomplete;
        this.skipStoppedCheck = skipStoppedCheck;
        this.rebuildCatalog = rebuildCatalog;
    }

    /** {@code latest} (or nothing), a restore point id, or the newest point at or before {@code pointInTime}. */
    RestoreSelection selection() throws AbortException {
        return selection(restorePoint, pointInTime);
    }

    /** The selection of a restore (or restore test) step from its {@code restorePoint} and {@code pointInTime}. */
    static RestoreSelection selection(@CheckForNull String restorePoint, @CheckForNull String pointInTime)
            throws AbortException {
        boolean latest = restorePoint == null || restorePoint.equalsIgnoreCase("latest");
        if (!latest && pointInTime != null) {
            throw new AbortException(Messages.RestoreArguments_both(restorePoint, pointInTime));
        }
        if (pointInTime != null) {
            return RestoreSelection.atOrBefore(parseInstant(pointInTime));
        }
        return latest ? RestoreSelection.latest() : RestoreSelection.byId(restorePoint);
    }

    static Instant parseInstant(String text) throws AbortException {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e2) {
                throw new AbortException(Messages.RestoreArguments_badInstant(text));
            }
        }
    }
}
