package io.jenkins.plugins.bbdc.jenkins.provider;

import hudson.AbortException;
import io.jenkins.plugins.bbdc.core.provider.SnapshotProvider;
import io.jenkins.plugins.bbdc.core.provider.fs.BtrfsProvider;
import io.jenkins.plugins.bbdc.core.provider.fs.RsyncExcludes;
import io.jenkins.plugins.bbdc.core.provider.fs.RsyncProvider;
import io.jenkins.plugins.bbdc.core.provider.postgres.PostgresDumpConfig;
import io.jenkins.plugins.bbdc.jenkins.Messages;
import io.jenkins.plugins.bbdc.jenkins.util.UsernamePassword;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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
        try {
            return new BtrfsProvider(p.getSubvolume(), p.getSnapshotDirectory());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw invalid(p, e);
        }
    }

    static SnapshotProvider netappSnapshot(NetAppSnapshotProvider p, ProviderServices services) throws AbortException {
        throw notInThisBuild(p);
    }

    static SnapshotProvider postgresDump(PostgresDumpProvider p, ProviderServices services) throws AbortException {
        UsernamePassword login = services.usernamePassword(p.getCredentialsId(),
                "the PostgreSQL database " + p.getDatabase() + " on " + p.getHost());
        try {
            return new io.jenkins.plugins.bbdc.core.provider.postgres.PostgresDumpProvider(PostgresDumpConfig.builder()
                    .host(p.getHost()).port(p.getPort()).database(p.getDatabase())
                    .user(login.username()).password(login::password)
                    .dumpRoot(p.getDumpDirectory()).jobs(p.getJobs()).sslMode(p.getSslMode())
                    .build());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw invalid(p, e);
        }
    }

    static SnapshotProvider rsyncCopy(RsyncCopyProvider p, ProviderServices services) throws AbortException {
        RsyncExcludes layout;
        try {
            layout = RsyncExcludes.valueOf(p.getLayout().trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new AbortException(Messages.EngineProviders_badRsyncLayout(p.getLayout()));
        }
        List<String> ids = new ArrayList<>();
        if (p.getExcludedRepositories() != null) {
            for (String id : p.getExcludedRepositories().split("[,\\s]+")) {
                if (!id.isBlank()) {
                    ids.add(id.trim());
                }
            }
        }
        try {
            layout.validate(ids);
            return new RsyncProvider(p.getSource(), p.getDestination(), layout, ids);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw invalid(p, e);
        }
    }

    static SnapshotProvider openSearchSnapshot(OpenSearchSnapshotProvider p, ProviderServices services) throws AbortException {
        throw notInThisBuild(p);
    }

    static SnapshotProvider scriptSnapshot(ScriptSnapshotProvider p, ProviderServices services) throws AbortException {
        throw notInThisBuild(p);
    }

    private static AbortException invalid(ComponentProvider p, RuntimeException e) {
        return new AbortException(Messages.EngineProviders_invalid(p.describe(), e.getMessage()));
    }

    private static AbortException notInThisBuild(ComponentProvider p) {
        return new AbortException(Messages.EngineProviders_notInThisBuild(p.kind()));
    }
}
