package io.jenkins.plugins.bbdc.jenkins.actions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OperationActionTest {

    @Test
    void thePageShowsTheSummaryTheComponentTableAndTheNextSteps() {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("restorePointId", "20261121t030000z-abcd");
        result.put("skewMillis", 3L);
        result.put("components", List.of(
                Map.of("role", "home", "provider", "btrfs"),
                new LinkedHashMap<>(Map.of("role", "database", "provider", "postgres", "sizeBytes", 1024L))));
        result.put("operatorSteps", List.of("start Bitbucket on one node", "check the integrity report"));
        OperationAction a = new OperationAction("backup", "prod", 2, result, null);
        assertThat(a.getSummary()).containsOnlyKeys("restorePointId", "skewMillis");
        assertThat(a.rows("components")).hasSize(2);
        assertThat(a.columns("components")).contains("role", "provider", "sizeBytes");
        assertThat(a.rows("nodes")).isEmpty();
        assertThat(a.lines("operatorSteps")).containsExactly("start Bitbucket on one node", "check the integrity report");
        assertThat(a.getUrlName()).isEqualTo("bitbucket-backup-2");
        assertThat(a.getDisplayName()).isEqualTo("Bitbucket backup (prod)");
        assertThat(a.isSucceeded()).isTrue();
    }
}
