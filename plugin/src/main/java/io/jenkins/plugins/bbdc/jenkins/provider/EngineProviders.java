package io.jenkins.plugins.bbdc.jenkins.provider;

import hudson.AbortException;
import io.jenkins.plugins.bbdc.core.provider.SnapshotProvider;
import io.jenkins.plugins.bbdc.core.provider.aws.AwsClientFactory;
import io.jenkins.plugins.bbdc.core.provider.aws.EbsConfig;
import io.jenkins.plugins.bbdc.core.provider.aws.RdsConfig;
import io.jenkins.plugins.bbdc.core.provider.fs.FsfreezeProvider;
import io.jenkins.plugins.bbdc.core.provider.fs.LvmProvider;
import io.jenkins.plugins.bbdc.core.provider.fs.ScriptProvider;
import io.jenkins.plugins.bbdc.core.provider.fs.ZfsProvider;
import io.jenkins.plugins.bbdc.core.provider.netapp.OntapConfig;
import io.jenkins.plugins.bbdc.core.provider.netapp.OntapSnapshotProvider;
import io.jenkins.plugins.bbdc.core.provider.search.OpenSearchConfig;
import io.jenkins.plugins.bbdc.core.provider.fs.BtrfsProvider;
import io.jenkins.plugins.bbdc.core.provider.fs.RsyncExcludes;
import io.jenkins.plugins.bbdc.core.provider.fs.RsyncProvider;
import io.jenkins.plugins.bbdc.core.provider.postgres.PostgresDumpConfig;
import io.jenkins.plugins.bbdc.jenkins.Messages;
import io.jenkins.plugins.bbdc.jenkins.util.UsernamePassword;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one place where each Jenkins provider configuration becomes an engine provider. Credentials are resolved
 * through {@link ProviderServices} (as the build) and handed to the engine in memory only.
 */
final class EngineProviders {
    private EngineProviders() {
    }

    static SnapshotProvider ebsSnapshot(EbsSnapshotProvider p, ProviderServices services) throws AbortException {
        EbsConfig config;
        try {
            EbsConfig.Builder b = EbsConfig.builder().volumeId(p.getVolumeId()).instanceId(p.getEc2InstanceId())
                    .excludeBootVolume(p.isExcludeBootVolume())
                    .excludeVolumeIds(new LinkedHashSet<>(SettingsText.words(p.getExcludeVolumeIds())))
                    .extraTags(SettingsText.pairs(p.getExtraTags(), "extraTags"))
                    .durableTimeout(minutes(p.getDurableTimeoutMinutes(), "durableTimeoutMinutes"))
                    .restoreVolume(p.getRestoreVolumeType(), positiveOrNull(p.getRestoreIops()),
                            positiveOrNull(p.getRestoreThroughput()))
                    .restoreEncryption(p.isRestoreEncrypted() ? Boolean.TRUE : null, p.getRestoreKmsKeyId())
                    .restoreTarget(p.getRestoreAvailabilityZone(), p.getRestoreInstanceId());
            SettingsText.pairs(p.getRestoreMountPoints(), "restoreMountPoints").forEach(b::mountPoint);
            SettingsText.pairs(p.getRestoreOsDevices(), "restoreOsDevices").forEach(b::osDevice);
            config = b.build();
        } catch (IllegalArgumentException e) {
            throw invalid(p, e);
        }
        AwsClientFactory clients = awsClients(p, services);
        try {
            SnapshotProvider ebs = new io.jenkins.plugins.bbdc.core.provider.aws.EbsSnapshotProvider(config, clients);
            return new ClosingProvider(freezeMaybe(ebs, p.getFreezeMountPoints()), clients);
        } catch (IllegalArgumentException | NullPointerException e) {
            clients.close();
            throw invalid(p, e);
        }
    }

    static SnapshotProvider rdsSnapshot(RdsSnapshotProvider p, ProviderServices services) throws AbortException {
        return rds(p, RdsConfig.builder().dbInstanceIdentifier(p.getDbInstanceIdentifier())
                .multiAz(p.isRestoreMultiAz()), services);
    }

    static SnapshotProvider auroraSnapshot(AuroraSnapshotProvider p, ProviderServices services) throws AbortException {
        return rds(p, RdsConfig.builder().dbClusterIdentifier(p.getDbClusterIdentifier())
                .clusterParameterGroupName(p.getRestoreClusterParameterGroupName()), services);
    }

    /** The settings RDS and Aurora share: waits, and what a restore creates (always a new instance or cluster). */
    private static SnapshotProvider rds(AwsDatabaseProvider p, RdsConfig.Builder config, ProviderServices services)
            throws AbortException {
        try {
            config.extraTags(SettingsText.pairs(p.getExtraTags(), "extraTags"))
                    .waitTimeout(minutes(p.getWaitTimeoutMinutes(), "waitTimeoutMinutes"))
                    .restorableWaitTimeout(minutes(p.getRestorableWaitTimeoutMinutes(),
                            "restorableWaitTimeoutMinutes"))
                    .restoreIdentifier(p.getRestoreIdentifier())
                    .instanceClass(p.getRestoreInstanceClass())
                    .subnetGroupName(p.getRestoreSubnetGroupName())
                    .securityGroupIds(SettingsText.words(p.getRestoreSecurityGroupIds()))
                    .parameterGroupName(p.getRestoreParameterGroupName());
        } catch (IllegalArgumentException e) {
            throw invalid(p, e);
        }
        AwsClientFactory clients = awsClients(p, services);
        try {
            return new ClosingProvider(
                    new io.jenkins.plugins.bbdc.core.provider.aws.RdsSnapshotProvider(config.build(), clients),
                    clients);
        } catch (IllegalArgumentException | NullPointerException e) {
            clients.close();
            throw invalid(p, e);
        }
    }

    /** One client factory per operation (closed with the {@link ClosingProvider}); see {@link AwsConnections}. */
    static AwsClientFactory awsClients(AwsComponentProvider p, ProviderServices services) throws AbortException {
        return AwsConnections.open(p, Messages.EngineProviders_provider(p.describe()), services);
    }

    /** A positive whole number of minutes as a duration; the message names the field otherwise. */
    private static Duration minutes(int minutes, String field) {
        if (minutes < 1) {
            throw new IllegalArgumentException(Messages.EngineProviders_minutes(field, String.valueOf(minutes)));
        }
        return Duration.ofMinutes(minutes);
    }

    /** 0 (the form's default) means "the AWS default": not sent. */
    private static Integer positiveOrNull(int n) {
        return n > 0 ? n : null;
    }

    static SnapshotProvider lvmSnapshot(LvmSnapshotProvider p, ProviderServices services) throws AbortException {
        try {
            return freezeMaybe(new LvmProvider(p.getVolumeGroup(), p.getLogicalVolume(),
                    p.isThin() ? null : p.getSnapshotSize()), p.getFreezeMountPoint());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw invalid(p, e);
        }
    }

    static SnapshotProvider zfsSnapshot(ZfsSnapshotProvider p, ProviderServices services) throws AbortException {
        try {
            return new ZfsProvider(p.getDataset());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw invalid(p, e);
        }
    }

    /** Wraps a block snapshot in fsfreeze of the named mount points (comma or space separated), if any. */
    static SnapshotProvider freezeMaybe(SnapshotProvider block, String mountPoints) {
        List<String> mounts = SettingsText.words(mountPoints);
        return mounts.isEmpty() ? block : new FsfreezeProvider(block, mounts, null);
    }

    static SnapshotProvider btrfsSnapshot(BtrfsSnapshotProvider p, ProviderServices services) throws AbortException {
        try {
            return new BtrfsProvider(p.getSubvolume(), p.getSnapshotDirectory());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw invalid(p, e);
        }
    }

    static SnapshotProvider netappSnapshot(NetAppSnapshotProvider p, ProviderServices services) throws AbortException {
        OntapConfig.Builder config = OntapConfig.builder().volume(p.getSvm(), p.getVolume())
                .trustedCertificatePem(p.getTrustedCertificate());
        try {
            config.url(p.getUrl() == null ? null : URI.create(p.getUrl()));
            config.proxy(services.proxy().toHttpProxy());
        } catch (IllegalArgumentException e) {
            throw invalid(p, e);
        }
        UsernamePassword login = services.usernamePassword(p.getCredentialsId(),
                Messages.EngineProviders_ontapCluster(p.getUrl()), p.getUrl());
        config.basicAuth(login.username(), login.password());
        try {
            return new OntapSnapshotProvider(config.build());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw invalid(p, e);
        }
    }

    static SnapshotProvider postgresDump(PostgresDumpProvider p, ProviderServices services) throws AbortException {
        UsernamePassword login = services.usernamePassword(p.getCredentialsId(),
                Messages.EngineProviders_postgresDatabase(p.getDatabase(), p.getHost()),
                PostgresDumpProvider.credentialsUri(p.getHost()));
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
        if (p.getCredentialsId() != null && p.getApiKeyCredentialsId() != null) {
            throw new AbortException(Messages.EngineProviders_invalid(p.describe(),
                    Messages.OpenSearchSnapshotProvider_twoLogins()));
        }
        OpenSearchConfig.Builder config = OpenSearchConfig.builder().repository(p.getRepository())
                .indices(p.getIndices());
        try {
            config.url(p.getUrl() == null ? null : URI.create(p.getUrl()));
            config.proxy(services.proxy().toHttpProxy());
            if (p.getRepositoryType() != null) {
                config.createRepository(p.getRepositoryType(),
                        SettingsText.pairs(p.getRepositorySettings(), "repositorySettings"));
            } else if (p.getRepositorySettings() != null) {
                throw new IllegalArgumentException(Messages.EngineProviders_settingsWithoutType());
            }
            // polling() sets both: the poll interval stays the engine's default
            config.polling(OpenSearchConfig.builder().build().pollInterval(),
                    minutes(p.getWaitTimeoutMinutes(), "waitTimeoutMinutes"));
            config.trustedCertificatePem(p.getTrustedCertificate());
        } catch (IllegalArgumentException e) {
            throw invalid(p, e);
        }
        String usedFor = Messages.EngineProviders_searchCluster(p.getUrl());
        if (p.getCredentialsId() != null) {
            UsernamePassword login = services.usernamePassword(p.getCredentialsId(), usedFor, p.getUrl());
            config.basicAuth(login.username(), login.password());
        } else if (p.getApiKeyCredentialsId() != null) {
            config.apiKey(services.secretText(p.getApiKeyCredentialsId(), usedFor, p.getUrl()));
        }
        SnapshotProvider search;
        try {
            search = new io.jenkins.plugins.bbdc.core.provider.search.OpenSearchSnapshotProvider(config.build());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw invalid(p, e);
        }
        return p.getRenamePrefix() == null ? search
                : new RestoreDefaults(search, Map.of("renamePrefix", p.getRenamePrefix()));
    }

    static SnapshotProvider scriptSnapshot(ScriptSnapshotProvider p, ProviderServices services) throws AbortException {
        try {
            return ScriptProvider.builder()
                    .check(command(p.getCheckCommand()))
                    .prepare(command(p.getPrepareCommand()))
                    .capture(command(p.getCaptureCommand()))
                    .awaitDurable(command(p.getAwaitDurableCommand()))
                    .list(command(p.getListCommand()))
                    .delete(command(p.getDeleteCommand()))
                    .restore(command(p.getRestoreCommand()))
                    .zeroDowntime(p.isZeroDowntime())
                    .scratchRestore(p.isScratchRestore())
                    .timeout(Duration.ofMinutes(p.getTimeoutMinutes()))
                    .build();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw invalid(p, e);
        }
    }

    /** An executable and its arguments separated by white space (no shell, no quoting); null when not set. */
    static List<String> command(String line) {
        if (line == null || line.isBlank()) {
            return null;
        }
        return List.of(line.trim().split("\\s+"));
    }

    private static AbortException invalid(ComponentProvider p, RuntimeException e) {
        return new AbortException(Messages.EngineProviders_invalid(p.describe(), e.getMessage()));
    }
}
