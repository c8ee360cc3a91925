package io.jenkins.plugins.bbdc.core.provider.aws;

/** Aurora PostgreSQL: cluster snapshots. */
class AuroraContractTest extends RdsContractTest {
    @Override
    boolean cluster() {
        return true;
    }

    @Override
    String source() {
        return "bitbucket-aurora";
    }

    @Override
    RdsConfig.Builder config(String identifier) {
        return RdsConfig.builder().dbClusterIdentifier(identifier);
    }
}
