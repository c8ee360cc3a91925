package io.jenkins.plugins.bbdc.jenkins.config;

import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import io.jenkins.plugins.bbdc.jenkins.util.Text;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.model.Item;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.bbdc.core.provider.BackupMode;
import io.jenkins.plugins.bbdc.jenkins.Messages;
import io.jenkins.plugins.bbdc.jenkins.provider.ComponentProvider;
import io.jenkins.plugins.bbdc.jenkins.provider.ComponentProviderDescriptor;
import io.jenkins.plugins.bbdc.jenkins.provider.ComponentSlot;
import io.jenkins.plugins.bbdc.jenkins.util.CredentialsListing;
import io.jenkins.plugins.bbdc.jenkins.util.FormAccess;
import io.jenkins.plugins.bbdc.jenkins.util.JenkinsGrants;
import java.io.Serializable;
import java.util.List;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * One Bitbucket Data Center installation the plugin operates on: how to reach it, which credentials entry to use
 * (by id — the secret stays in the credentials store), and the defaults backups of it use.
 */
public final class BitbucketInstance implements Describable<BitbucketInstance>, Serializable {
    private static final long serialVersionUID = 1L;

    private final String id;
    private final String url;
    private final String credentialsId;
    private String adminUrl;
    private String nodeUrls;
    private String backupMode = BackupMode.ZERO_DOWNTIME.name();
    private ComponentProvider home;
    private ComponentProvider database;
    private ComponentProvider search;
    private int keepLast;
    private String catalogDirectory;
    private boolean allowControllerAwsIdentity;
    private boolean allowControllerFileSystem;

    @DataBoundConstructor
    public BitbucketInstance(String id, String url, String credentialsId) {
        this.id = Text.trimToNull(id);
        this.url = stripTrailingSlash(Text.trimToNull(url));
        this.credentialsId = Text.trimToNull(credentialsId);
    }

    public String getId() {
        return id;
    }

    /** The base URL users reach Bitbucket at (through the load balancer), without a trailing slash. */
    public String getUrl() {
        return url;
    }

    /** A {@code Username with password} entry of a Bitbucket system administrator. */
    public String getCredentialsId() {
        return credentialsId;
    }

    @CheckForNull
    public String getAdminUrl() {
        return adminUrl;
    }

    /** A different base URL for admin calls (for example one that bypasses single sign-on); empty = {@link #getUrl()}. */
    @DataBoundSetter
    public void setAdminUrl(String adminUrl) {
        this.adminUrl = stripTrailingSlash(Text.trimToNull(adminUrl));
    }

    /** The URL every admin call goes to. */
    public String effectiveAdminUrl() {
        return adminUrl != null ? adminUrl : url;
    }

    @CheckForNull
    public String getNodeUrls() {
        return nodeUrls;
    }

    /** Each cluster node's own base URL, one per line, used to read {@code /status} bypassing the load balancer. */
    @DataBoundSetter
    public void setNodeUrls(String nodeUrls) {
        this.nodeUrls = Text.trimToNull(nodeUrls);
    }

    public List<String> nodeUrlList() {
        return InstanceValidation.lines(nodeUrls);
    }

    public String getBackupMode() {
        return backupMode;
    }

    /** Default mode of backups of this instance: {@code ZERO_DOWNTIME} or {@code LOCKED}. */
    @DataBoundSetter
    public void setBackupMode(String backupMode) {
        String v = Text.trimToNull(backupMode);
        this.backupMode = v == null ? BackupMode.ZERO_DOWNTIME.name() : BackupModes.parse(v).name();
    }

    @CheckForNull
    public ComponentProvider getHome() {
        return home;
    }

    /** Default provider of the shared home. */
    @DataBoundSetter
    public void setHome(ComponentProvider home) {
        this.home = home;
    }

    @CheckForNull
    public ComponentProvider getDatabase() {
        return database;
    }

    @DataBoundSetter
    public void setDatabase(ComponentProvider database) {
        this.database = database;
    }

    @CheckForNull
    public ComponentProvider getSearch() {
        return search;
    }

    @DataBoundSetter
    public void setSearch(ComponentProvider search) {
        this.search = search;
    }

    public int getKeepLast() {
        return keepLast;
    }

    /** Default retention: keep this many complete restore points (0 keeps all). */
    @DataBoundSetter
    public void setKeepLast(int keepLast) {
        if (keepLast < 0) {
            throw new IllegalArgumentException(Messages.BitbucketInstance_negativeKeepLast(keepLast));
        }
        this.keepLast = keepLast;
    }

    @CheckForNull
    public String getCatalogDirectory() {
        return catalogDirectory;
    }

    /**
     * Root of the restore point catalog on the controller: this instance's manifests are {@code <root>/<id>/}.
     * Empty: the root is {@code $JENKINS_HOME/bitbucket-dc-ops}.
     */
    @DataBoundSetter
    public void setCatalogDirectory(String catalogDirectory) {
        this.catalogDirectory = Text.trimToNull(catalogDirectory);
    }

    public boolean isAllowControllerAwsIdentity() {
        return allowControllerAwsIdentity;
    }

    /**
     * Whether an AWS setting of this instance's operations without a credentials entry may call AWS as the
     * controller itself (its instance profile, environment or {@code ~/.aws}). Off by default, and off for
     * configurations saved before the setting existed: only an administrator grants a build the controller's AWS
     * identity, here; a step's own providers cannot.
     */
    @DataBoundSetter
    public void setAllowControllerAwsIdentity(boolean allowControllerAwsIdentity) {
        this.allowControllerAwsIdentity = allowControllerAwsIdentity;
    }

    public boolean isAllowControllerFileSystem() {
        return allowControllerFileSystem;
    }

    /**
     * Whether a restore's or restore test's file work for this instance (the shared home's clean-up, the filesystem
     * checks and {@code git fsck}, provider commands that restore files) may run on the controller: outside a
     * {@code node} block or on the built-in node. Off by default and for configurations saved before the setting
     * existed; then that work runs only on an agent.
     */
    @DataBoundSetter
    public void setAllowControllerFileSystem(boolean allowControllerFileSystem) {
        this.allowControllerFileSystem = allowControllerFileSystem;
    }

    private static String stripTrailingSlash(String s) {
        String out = s;
        while (out != null && out.endsWith("/")) {
            out = out.substring(0, out.length() - 1);
        }
        return out;
    }

    @Override
    public String toString() {
        return id + " (" + url + ")";
    }

    @Extension
    @Symbol("bitbucketInstance")
    public static final class DescriptorImpl extends Descriptor<BitbucketInstance> {

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.BitbucketInstance_displayName();
        }

        public List<ComponentProviderDescriptor> getHomeDescriptors() {
            return ComponentProviderDescriptor.forSlot(ComponentSlot.HOME);
        }

        public List<ComponentProviderDescriptor> getDatabaseDescriptors() {
            return ComponentProviderDescriptor.forSlot(ComponentSlot.DATABASE);
        }

        public List<ComponentProviderDescriptor> getSearchDescriptors() {
            return ComponentProviderDescriptor.forSlot(ComponentSlot.SEARCH);
        }

        private static boolean allowed() {
            return FormAccess.mayValidate(false, JenkinsGrants.of(null));
        }

        @POST
        public FormValidation doCheckId(@QueryParameter String value) {
            return allowed() ? toValidation(InstanceValidation.idProblem(value)) : FormValidation.ok();
        }

        @POST
        public FormValidation doCheckUrl(@QueryParameter String value) {
            return allowed() ? toValidation(InstanceValidation.urlProblem(value, Messages.BitbucketInstance_url()))
                    : FormValidation.ok();
        }

        @POST
        public FormValidation doCheckAdminUrl(@QueryParameter String value) {
            if (!allowed() || Text.trimToNull(value) == null) {
                return FormValidation.ok();
            }
            return toValidation(InstanceValidation.urlProblem(value, Messages.BitbucketInstance_adminUrl()));
        }

        @POST
        public FormValidation doCheckNodeUrls(@QueryParameter String value) {
            if (!allowed()) {
                return FormValidation.ok();
            }
            List<String> problems = InstanceValidation.nodeUrlProblems(value);
            return problems.isEmpty() ? FormValidation.ok() : FormValidation.error(String.join(" ", problems));
        }

        @POST
        public FormValidation doCheckCredentialsId(@QueryParameter String value, @QueryParameter String url) {
            if (!allowed()) {
                return FormValidation.ok();
            }
            if (Text.trimToNull(value) == null) {
                return FormValidation.error(Messages.Validation_required(Messages.BitbucketInstance_credentials()));
            }
            return GlobalCredentials.usernamePassword(value, url) == null
                    ? FormValidation.error(Messages.Credentials_notFound(value))
                    : FormValidation.ok();
        }

        @POST
        public ListBoxModel doFillCredentialsIdItems(@QueryParameter String credentialsId, @QueryParameter String url) {
            return CredentialsListing.fill(null, credentialsId, StandardUsernamePasswordCredentials.class, url);
        }

        @POST
        public ListBoxModel doFillBackupModeItems() {
            ListBoxModel m = new ListBoxModel();
            m.add(Messages.BackupMode_ZERO_DOWNTIME(), BackupMode.ZERO_DOWNTIME.name());
            m.add(Messages.BackupMode_LOCKED(), BackupMode.LOCKED.name());
            return m;
        }

        /** "Test connection": reads version and cluster state with the chosen credentials; changes nothing. */
        @POST
        public FormValidation doTestConnection(@QueryParameter String url, @QueryParameter String adminUrl,
                                               @QueryParameter String credentialsId) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            String problem = InstanceValidation.urlProblem(url, Messages.BitbucketInstance_url());
            String admin = Text.trimToNull(adminUrl);
            if (problem == null && admin != null) {
                problem = InstanceValidation.urlProblem(admin, Messages.BitbucketInstance_adminUrl());
            }
            if (problem != null) {
                return FormValidation.error(problem);
            }
            String id = Text.trimToNull(credentialsId);
            StandardUsernamePasswordCredentials c = id == null ? null : GlobalCredentials.usernamePassword(id, url);
            if (c == null) {
                return FormValidation.error(Messages.Credentials_notFound(id == null ? "" : id));
            }
            ConnectionReport report = ConnectionCheck.run(url.trim(), admin, GlobalCredentials.toUsernamePassword(c));
            return report.ok() ? FormValidation.ok(report.message()) : FormValidation.error(report.message());
        }

        private static FormValidation toValidation(@CheckForNull String problem) {
            return problem == null ? FormValidation.ok() : FormValidation.error(problem);
        }
    }
}
