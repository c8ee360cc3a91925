package io.jenkins.plugins.bbdc.testkit.bitbucket;

import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator.RecordedCall;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Every call received by a node or answered by the load balancer itself, in the order they completed; the oldest
 * are dropped beyond {@code max}.
 */
final class CallLog {
    private final Deque<RecordedCall> calls = new ArrayDeque<>();
    private final int max;

    CallLog(int max) {
        this.max = max;
    }

    synchronized void add(RecordedCall call) {
        if (calls.size() >= max) {
            calls.removeFirst();
        }
        calls.addLast(call);
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
