package io.jenkins.plugins.bbdc.testkit.bitbucket;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** The builder's knobs, fixed once the simulator is started. Defaults as in docs/testkit.md. */
final class SimSettings {
    int nodeCount = 3;
    String version = "8.19.1";
    final Map<String, SimUsers.User> users = new LinkedHashMap<>();
    final Map<String, String> accessTokens = new LinkedHashMap<>();
    boolean clustered = true;
    Duration drainTime = Duration.ofMillis(200);
    Duration stopTime = Duration.ofMillis(100);
    Duration startTime = Duration.ofMillis(300);
    Duration finalizationTime = Duration.ofMillis(200);
    Duration healthCheckInterval = Duration.ofMillis(100);
    int meshNodes = 0;
    String contextPath = "";
    int loadBalancerPort = 0;
    int maxRecordedCalls = 100_000;

    SimSettings() {
        users.put("admin", new SimUsers.User("admin", "admin", true));
        users.put("user", new SimUsers.User("user", "user", false));
    }
}
