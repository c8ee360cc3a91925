package io.jenkins.plugins.bbdc.core.provider.aws;

/** RDS for PostgreSQL: DB snapshots of one instance. */
class RdsInstanceContractTest extends RdsContractTest {
    @Override
    boolean cluster() {
        return false;
    }

    @Override
    String source() {
        return "bitbucket-db";
    }

    @Override
    RdsConfig.Builder config(String identifier) {
        return RdsConfig.builder().dbInstanceIdentifier(identifier);
    }
}
