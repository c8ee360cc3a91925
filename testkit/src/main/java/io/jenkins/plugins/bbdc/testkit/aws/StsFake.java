package io.jenkins.plugins.bbdc.testkit.aws;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** STS AssumeRole: hands out short-lived session credentials whose access key later signs EC2/RDS calls. */
final class StsFake {
    static final String NS = "https://sts.amazonaws.com/doc/2011-06-15/";
    private final Clock clock;
    private final AtomicLong serial = new AtomicLong();
    final List<Map<String, String>> assumed = new CopyOnWriteArrayList<>();

    StsFake(Clock clock) {
        this.clock = clock;
    }

    String handle(QueryRequest q, String requestId) {
        if (!"AssumeRole".equals(q.action())) {
            throw AwsFault.badRequest("InvalidAction", "The action " + q.action() + " is not valid for this endpoint.");
        }
        String role = q.required("RoleArn");
        String session = q.required("RoleSessionName");
        Integer duration = q.integer("DurationSeconds");
        int seconds = duration == null ? 3600 : duration;
        if (seconds < 900 || seconds > 43200) {
            throw AwsFault.badRequest("ValidationError", "1 validation error detected: Value '" + seconds
                    + "' at 'durationSeconds' failed to satisfy constraint: Member must be between 900 and 43200");
        }
        String key = String.format("ASIA%016d", serial.incrementAndGet());
        assumed.add(Map.of("RoleArn", role, "RoleSessionName", session, "AccessKeyId", key,
                "ExternalId", q.get("ExternalId") == null ? "" : q.get("ExternalId"),
                "DurationSeconds", String.valueOf(seconds), "SignedBy", q.accessKeyId()));
        Instant expires = clock.instant().plusSeconds(seconds);
        return new Xml().start("AssumeRoleResponse", NS).start("AssumeRoleResult")
                .start("Credentials").el("AccessKeyId", key).el("SecretAccessKey", "secret" + key)
                .el("SessionToken", "token" + key).el("Expiration", expires).end()
                .start("AssumedRoleUser").el("AssumedRoleId", "AROA000000000:" + session)
                .el("Arn", role.replace(":role/", ":assumed-role/").replace("arn:aws:iam:", "arn:aws:sts:") + "/"
                        + session).end()
                .end().start("ResponseMetadata").el("RequestId", requestId).end().end().toString();
    }
}
