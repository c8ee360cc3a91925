package io.jenkins.plugins.bbdc.core.provider.aws;

import io.jenkins.plugins.bbdc.core.provider.CaptureRequest;
import java.util.LinkedHashMap;
import java.util.Map;

/** The tags every AWS snapshot of a restore point carries, so that a lost catalog can be rebuilt from AWS. */
final class AwsTags {
    static final String RESTORE_POINT = "bbdc:restore-point";
    static final String INSTANCE = "bbdc:instance";
    static final String ROLE = "bbdc:role";
    static final String DEVICE = "bbdc:device";
    static final String VOLUME = "bbdc:volume";
    static final String DEVICES = "bbdc:devices";
    static final String EC2_INSTANCE = "bbdc:ec2-instance";
    static final String DURABLE_AT = "bbdc:durable-at";
    static final String COPIED_FROM = "bbdc:copied-from";
    static final String RESTORED_FROM = "bbdc:restored-from";
    static final String REPLACED_BY = "bbdc:replaced-by";
    static final String SCRATCH = "bbdc:scratch";
    static final String NAME = "Name";

    private AwsTags() {
    }

    /** Restore point, instance, role and Name, plus the user's extra tags (which cannot override ours). */
    static Map<String, String> base(CaptureRequest request, Map<String, String> extra) {
        Map<String, String> tags = new LinkedHashMap<>(extra);
        tags.put(NAME, request.snapshotName());
        tags.put(RESTORE_POINT, request.restorePointId());
        tags.put(INSTANCE, request.instanceId());
        tags.put(ROLE, request.role().value());
        return tags;
    }

    static String principal(AwsCredentialsConfig c) {
        return switch (c.kind()) {
            case ASSUME_ROLE -> "the role " + c.roleArn();
            case STATIC -> "the configured access key " + c.accessKeyId();
            case DEFAULT_CHAIN -> "the credentials of the default chain (instance profile, environment, profile)";
            case PROVIDED -> "the " + c;
        };
    }
}
