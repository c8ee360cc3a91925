package io.jenkins.plugins.bbdc.core.provider.aws;

/** EBS in instance mode ({@code CreateSnapshots} of every data volume in one crash-consistent call). */
class EbsInstanceContractTest extends EbsContractTest {
    @Override
    EbsConfig.Builder target() {
        return EbsConfig.builder().instanceId(ec2Instance);
    }

    @Override
    EbsConfig.Builder missingTarget() {
        return EbsConfig.builder().instanceId(missingId());
    }

    @Override
    String missingId() {
        return "i-0000000deadbeef0";
    }
}
