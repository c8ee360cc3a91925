package io.jenkins.plugins.bbdc.jenkins.provider;

import hudson.AbortException;
import hudson.ExtensionPoint;
import hudson.model.Describable;
import io.jenkins.plugins.bbdc.core.provider.SnapshotProvider;
import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * How one component of a restore point (home, a Mesh home, database, search) is captured: the Jenkins-side
 * configuration of an engine {@link SnapshotProvider}. Implementations hold only plain settings and credentials ids —
 * they are serializable because a running step keeps them to rebuild the engine after a controller restart.
 *
 * <p>Scripts write them by symbol, e.g. {@code home: ebsSnapshot(region: 'eu-west-1', volumeId: 'vol-1')}.
 */
public abstract class ComponentProvider implements Describable<ComponentProvider>, ExtensionPoint, Serializable {
    private static final long serialVersionUID = 1L;

    /** The engine provider kind recorded in manifests ({@code ebs}, {@code postgres} …). */
    public abstract String kind();

    /**
     * True when the provider runs commands (lvcreate, zfs, pg_dump …): they run on the build's agent, so the step
     * needs a {@code node}. API providers (AWS, ONTAP, OpenSearch) run on the controller.
     */
    public abstract boolean runsCommands();

    /** Credentials ids this provider uses (validated, looked up as the build and tracked). */
    public List<String> credentialsIds() {
        return List.of();
    }

    /**
     * Where the backup copies this component's snapshots once the restore point is complete ({@code region},
     * optionally {@code kmsKeyId}); empty: not copied. Only providers whose engine can copy (EBS, RDS, Aurora) have
     * the settings for it.
     *
     * @throws AbortException when the destination cannot be a disaster-recovery copy (the provider's own region);
     *                        asked before the backup changes anything
     */
    public Map<String, String> copyDestination() throws AbortException {
        return Map.of();
    }

    /** A short description for logs and build pages; never a secret. */
    public abstract String describe();

    /** Builds the engine provider for one operation, resolving credentials through {@code services}. */
    public abstract SnapshotProvider toEngine(ProviderServices services) throws IOException, InterruptedException;

    /**
     * Called by XStream (a saved job or global configuration) and by Java serialization (a running step's
     * program.dat) after the fields were read. Neither runs a constructor or a field initialiser, so a setting added
     * after the configuration was saved arrives as 0 or null: subclasses give such fields today's default here and
     * call {@code super.readResolve()}.
     */
    protected Object readResolve() {
        return this;
    }
}
