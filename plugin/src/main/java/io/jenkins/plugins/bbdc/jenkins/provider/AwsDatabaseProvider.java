package io.jenkins.plugins.bbdc.jenkins.provider;

import hudson.model.Item;
import hudson.util.FormValidation;
import io.jenkins.plugins.bbdc.jenkins.Messages;
import io.jenkins.plugins.bbdc.jenkins.util.Text;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * What RDS and Aurora share beyond the AWS connection: how long to wait, and what a restore creates. A restore always
 * creates a new instance or cluster (the live one is never touched); without these settings it is named
 * {@code <source>-<restore point>} and lands in the default subnet group and security group of the VPC.
 *
 * <p>The form entries are {@code AwsDatabaseProvider/restore-options.jelly}, included by the RDS and Aurora forms;
 * their help files live next to it.
 */
public abstract class AwsDatabaseProvider extends AwsComponentProvider {
    private static final long serialVersionUID = 1L;
    /** Six hours, the engine's default. */
    static final int DEFAULT_WAIT_TIMEOUT_MINUTES = 360;
    /** Twenty minutes, the engine's default. */
    static final int DEFAULT_RESTORABLE_WAIT_MINUTES = 20;

    private int waitTimeoutMinutes = DEFAULT_WAIT_TIMEOUT_MINUTES;
    private int restorableWaitTimeoutMinutes = DEFAULT_RESTORABLE_WAIT_MINUTES;
    private String restoreIdentifier = null;
    private String restoreInstanceClass = null;
    private String restoreSubnetGroupName = null;
    private String restoreSecurityGroupIds = null;
    private String restoreParameterGroupName = null;

    protected AwsDatabaseProvider(String region) {
        super(region);
    }

    /** Longest wait for a snapshot or a restored database to become available. */
    public int getWaitTimeoutMinutes() {
        return waitTimeoutMinutes;
    }

    @DataBoundSetter
    public void setWaitTimeoutMinutes(int waitTimeoutMinutes) {
        this.waitTimeoutMinutes = waitTimeoutMinutes;
    }

    /** Point-in-time restores: longest wait for the database's latest restorable time to pass the restore point. */
    public int getRestorableWaitTimeoutMinutes() {
        return restorableWaitTimeoutMinutes;
    }

    @DataBoundSetter
    public void setRestorableWaitTimeoutMinutes(int restorableWaitTimeoutMinutes) {
        this.restorableWaitTimeoutMinutes = restorableWaitTimeoutMinutes;
    }

    /** Identifier of the restored instance or cluster; null: {@code <source>-<restore point>}. */
    public String getRestoreIdentifier() {
        return restoreIdentifier;
    }

    @DataBoundSetter
    public void setRestoreIdentifier(String restoreIdentifier) {
        this.restoreIdentifier = Text.trimToNull(restoreIdentifier);
    }

    /** DB instance class of the restored instance (Aurora: of its writer); null: the source's class. */
    public String getRestoreInstanceClass() {
        return restoreInstanceClass;
    }

    @DataBoundSetter
    public void setRestoreInstanceClass(String restoreInstanceClass) {
        this.restoreInstanceClass = Text.trimToNull(restoreInstanceClass);
    }

    /** DB subnet group (and so the VPC) of the restored database; null: the default subnet group. */
    public String getRestoreSubnetGroupName() {
        return restoreSubnetGroupName;
    }

    @DataBoundSetter
    public void setRestoreSubnetGroupName(String restoreSubnetGroupName) {
        this.restoreSubnetGroupName = Text.trimToNull(restoreSubnetGroupName);
    }

    /** VPC security groups of the restored database (comma or space separated {@code sg-…}); null: the default. */
    public String getRestoreSecurityGroupIds() {
        return restoreSecurityGroupIds;
    }

    @DataBoundSetter
    public void setRestoreSecurityGroupIds(String restoreSecurityGroupIds) {
        this.restoreSecurityGroupIds = Text.trimToNull(restoreSecurityGroupIds);
    }

    /** DB parameter group of the restored instance (Aurora: of its writer); null: the engine's default group. */
    public String getRestoreParameterGroupName() {
        return restoreParameterGroupName;
    }

    @DataBoundSetter
    public void setRestoreParameterGroupName(String restoreParameterGroupName) {
        this.restoreParameterGroupName = Text.trimToNull(restoreParameterGroupName);
    }

    /** A configuration saved before the wait settings existed has 0 (no valid wait): today's defaults apply. */
    @Override
    protected Object readResolve() {
        if (waitTimeoutMinutes == 0) {
            waitTimeoutMinutes = DEFAULT_WAIT_TIMEOUT_MINUTES;
        }
        if (restorableWaitTimeoutMinutes == 0) {
            restorableWaitTimeoutMinutes = DEFAULT_RESTORABLE_WAIT_MINUTES;
        }
        return super.readResolve();
    }

    /** The form checks RDS and Aurora share. */
    public abstract static class AwsDatabaseDescriptor extends AwsDescriptor {
        @POST
        public FormValidation doCheckWaitTimeoutMinutes(@AncestorInPath Item item, @QueryParameter String value) {
            return check(item, () -> ProviderChecks.minutesProblem(value,
                    Messages.AwsDatabaseProvider_waitTimeoutMinutes()));
        }

        @POST
        public FormValidation doCheckRestorableWaitTimeoutMinutes(@AncestorInPath Item item,
                                                                   @QueryParameter String value) {
            return check(item, () -> ProviderChecks.minutesProblem(value,
                    Messages.AwsDatabaseProvider_restorableWaitTimeoutMinutes()));
        }

        @POST
        public FormValidation doCheckRestoreSecurityGroupIds(@AncestorInPath Item item,
                                                              @QueryParameter String value) {
            return check(item, () -> ProviderChecks.securityGroupsProblem(value));
        }
    }
}
