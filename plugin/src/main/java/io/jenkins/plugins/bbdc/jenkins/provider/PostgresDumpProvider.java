package io.jenkins.plugins.bbdc.jenkins.provider;

import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Item;
import hudson.util.FormValidation;
import io.jenkins.plugins.bbdc.core.provider.SnapshotProvider;
import io.jenkins.plugins.bbdc.jenkins.Messages;
import io.jenkins.plugins.bbdc.jenkins.util.Text;
import java.io.IOException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * A pg_dump of the Bitbucket database taken from a snapshot exported at the instant, so the dump shows the database exactly as it was at the fence even though it finishes later. pg_dump runs on the agent; the password reaches it through the environment only.
 * Symbol {@code postgresDump}; runs commands on the agent.
 */
public final class PostgresDumpProvider extends ComponentProvider {
    private static final long serialVersionUID = 1L;

    private final String host;
    private final String database;
    private final String credentialsId;
    private final String dumpDirectory;
    private int port = 5432;
    private int jobs = 1;
    private String sslMode = "prefer";

    @DataBoundConstructor
    public PostgresDumpProvider(String host, String database, String credentialsId, String dumpDirectory) {
        this.host = Text.trimToNull(host);
        this.database = Text.trimToNull(database);
        this.credentialsId = Text.trimToNull(credentialsId);
        this.dumpDirectory = Text.trimToNull(dumpDirectory);
    }

    public String getHost() {
        return host;
    }

    public String getDatabase() {
        return database;
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    public String getDumpDirectory() {
        return dumpDirectory;
    }

    public int getPort() {
        return port;
    }

    @DataBoundSetter
    public void setPort(int port) {
        this.port = port;
    }

    public int getJobs() {
        return jobs;
    }

    @DataBoundSetter
    public void setJobs(int jobs) {
        this.jobs = jobs;
    }

    public String getSslMode() {
        return sslMode;
    }

    @DataBoundSetter
    public void setSslMode(String sslMode) {
        String v = Text.trimToNull(sslMode);
        this.sslMode = v == null ? "prefer" : v;
    }

    @Override
    public String kind() {
        return "postgres";
    }

    @Override
    public boolean runsCommands() {
        return true;
    }

    @Override
    public List<String> credentialsIds() {
        return credentialsId == null ? List.of() : List.of(credentialsId);
    }

    /**
     * What the credentials are used against, for their domains: {@code postgresql://<host>} (the port is left out:
     * the form's list knows only the host); null without a host.
     */
    static String credentialsUri(String host) {
        String h = Text.trimToNull(host);
        if (h == null) {
            return null;
        }
        return "postgresql://" + (h.contains(":") && !h.startsWith("[") ? "[" + h + "]" : h);
    }

    @Override
    public String describe() {
        return kind() + " " + host;
    }

    @Override
    public SnapshotProvider toEngine(ProviderServices services) throws IOException, InterruptedException {
        return EngineProviders.postgresDump(this, services);
    }

    @Extension
    @Symbol("postgresDump")
    public static final class DescriptorImpl extends ComponentProviderDescriptor {
        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.PostgresDumpProvider_displayName();
        }

        @Override
        public Set<ComponentSlot> getSlots() {
            return EnumSet.of(ComponentSlot.DATABASE);
        }

        @Override
        protected Class<? extends StandardCredentials> credentialsType() {
            return StandardUsernamePasswordCredentials.class;
        }

        @Override
        protected boolean credentialsRequired() {
            return true;
        }

        @Override
        protected String credentialsUri(String url, String host) {
            return PostgresDumpProvider.credentialsUri(host);
        }

        @POST
        public FormValidation doCheckHost(@AncestorInPath Item item, @QueryParameter String value) {
            return checkRequired(item, value, Messages.PostgresDumpProvider_host());
        }

        @POST
        public FormValidation doCheckDatabase(@AncestorInPath Item item, @QueryParameter String value) {
            return checkRequired(item, value, Messages.PostgresDumpProvider_database());
        }

        @POST
        public FormValidation doCheckDumpDirectory(@AncestorInPath Item item, @QueryParameter String value) {
            return checkRequired(item, value, Messages.PostgresDumpProvider_dumpDirectory());
        }
    }
}
