package io.jenkins.plugins.bbdc.core.provider.aws;

import static io.jenkins.plugins.bbdc.core.provider.aws.AwsTestSupport.REGION;

/** EBS in volume mode ({@code CreateSnapshot} of one volume). */
class EbsVolumeContractTest extends EbsContractTest {
    @Override
    EbsConfig.Builder target() {
        return EbsConfig.builder().volumeId(aws.ec2().volumeAt(REGION, ec2Instance, "/dev/xvdf"));
    }

    @Override
    EbsConfig.Builder missingTarget() {
        return EbsConfig.builder().volumeId(missingId());
    }

    @Override
    String missingId() {
        return "vol-0000000deadbeef0";
    }
}
