package io.jenkins.plugins.bbdc.jenkins.provider;

import hudson.AbortException;
import io.jenkins.plugins.bbdc.core.provider.SnapshotProvider;

/**
 * The one place where each Jenkins provider configuration becomes an engine provider. Credentials are resolved
 * through {@link ProviderServices} (as the build) and handed to the engine in memory only.
 */
final class EngineProviders {
    private EngineProviders() {
    }

    static SnapshotProvider ebsSnapshot(EbsSnapshotProvider p, ProviderServices services) throws AbortException {
        throw notInThisBuild(p);
    }

    static SnapshotProvider rdsSnapshot(RdsSnapshotProvider p, ProviderServices services) throws AbortException {
        throw notInThisBuild(p);
    }

    static SnapshotProvider auroraSnapshot(AuroraSnapshotProvider p, ProviderServices services) throws AbortException {
        throw notInThisBuild(p);
    }

    static SnapshotProvider lvmSnapshot(LvmSnapshotProvider p, ProviderServices services) throws AbortException {
        throw notInThisBuild(p);
    }

    static SnapshotProvider zfsSnapshot(ZfsSnapshotProvider p, ProviderServices services) throws AbortException {
        throw notInThisBuild(p);
    }

    static SnapshotProvider btrfsSnapshot(BtrfsSnapshotProvider p, ProviderServices services) throws AbortException {
        throw notInThisBuild(p);
    }

    static SnapshotProvider netappSnapshot(NetAppSnapshotProvider p, ProviderServices services) throws AbortException {
        throw notInThisBuild(p);
    }

    static SnapshotProvider postgresDump(PostgresDumpProvider p, ProviderServices services) throws AbortException {
        throw notInThisBuild(p);
    }

    static SnapshotProvider rsyncCopy(RsyncCopyProvider p, ProviderServices services) throws AbortException {
        throw notInThisBuild(p);
    }

    static SnapshotProvider openSearchSnapshot(OpenSearchSnapshotProvider p, ProviderServices services) throws AbortException {
        throw notInThisBuild(p);
    }

    static SnapshotProvider scriptSnapshot(ScriptSnapshotProvider p, ProviderServices services) throws AbortException {
        throw notInThisBuild(p);
    }

    private static AbortException notInThisBuild(ComponentProvider p) {
        return new AbortException("The '" + p.kind() + "' provider engine is not part of this build of the plugin yet.");
    }
}
