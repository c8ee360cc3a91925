package io.jenkins.plugins.bbdc.testkit.aws;

import java.util.Map;

/**
 * One call the endpoint received, for assertions.
 *
 * @param errorCode the AWS error code it answered with, or null on success
 */
public record CallRecord(String service, String region, String action, Map<String, String> params,
                         String accessKeyId, int status, String errorCode) {

    public boolean succeeded() {
        return errorCode == null;
    }

    public String param(String name) {
        return params.get(name);
    }
}
