package io.jenkins.plugins.bbdc.testkit.bitbucket;

import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator.RecordedCall;

import java.util.ArrayList;
import java.util.List;

/** Every call received by a node or answered by the load balancer itself, in the order they completed. */
final class CallLog {
    private final List<RecordedCall> calls = new ArrayList<>();

    synchronized void add(RecordedCall call) {
        calls.add(call);
    }

    synchronized List<RecordedCall> all() {
        return List.copyOf(calls);
    }

    synchronized List<RecordedCall> matching(String method, String pathPrefix) {
        List<RecordedCall> result = new ArrayList<>();
        for (RecordedCall call : calls) {
            if (call.method().equalsIgnoreCase(method) && call.path().startsWith(pathPrefix)) {
                result.add(call);
            }
        }
        return result;
    }

    synchronized void clear() {
        calls.clear();
    }
}
