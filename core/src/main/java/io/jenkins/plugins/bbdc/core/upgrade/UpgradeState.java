package io.jenkins.plugins.bbdc.core.upgrade;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.jenkins.plugins.bbdc.core.bitbucket.ClusterState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Everything a rolling upgrade needs to continue, small and serializable (JSON): the Jenkins step persists it and
 * calls {@link UpgradeEngine#advance} again after a controller restart; nothing else survives. Contains no secret.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.PUBLIC_ONLY,
        getterVisibility = JsonAutoDetect.Visibility.NONE, isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public final class UpgradeState {
    public static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public int format = FORMAT;
    public UpgradePhase phase = UpgradePhase.PREFLIGHT;
    public UpgradeOptions options;
    /** The version every node ran before the upgrade (Bitbucket's {@code originalVersion}). */
    public String originalVersion;
    public String restorePointId;
    /** Expected nodes, in upgrade order. Built before upgrade mode is enabled. */
    public List<NodeRecord> nodes = new ArrayList<>();
    public String currentNodeId;
    /** This upgrade (not an earlier run) enabled upgrade mode. */
    public boolean upgradeModeEnabledByUs;
    public int finalizationRetries;
    public Instant startedAt;
    public Instant updatedAt;
    public Instant phaseStartedAt;
    public Instant finishedAt;
    /** The last step only observed that something is not ready yet: the driver sleeps a poll interval. */
    public boolean waiting;
    /** The last observed ZDU cluster state. */
    public String clusterState;
    /** What the last step did or saw, one line. */
    public String message;
    /** Why the upgrade stopped (FAILED, ABORTED, REFUSED), or null. */
    public String failure;
    /** For a stopped upgrade: which node runs which version, and how to resume. */
    public String report;
    public String finalVersion;

    public UpgradeState() {
    }

    public static UpgradeState initial(UpgradeOptions options, Instant now) {
        UpgradeState s = new UpgradeState();
        s.options = options;
        s.startedAt = now;
        s.updatedAt = now;
        s.phaseStartedAt = now;
        return s;
    }

    public String toJson() {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize the upgrade state: " + e.getMessage(), e);
        }
    }

    public static UpgradeState fromJson(String json) {
        try {
            UpgradeState s = JSON.readValue(json, UpgradeState.class);
            if (s.format > FORMAT) {
                throw new IllegalArgumentException("this upgrade state was written by a newer version (format "
                        + s.format + "); resume it with that version");
            }
            if (s.options == null || s.phase == null) {
                throw new IllegalArgumentException("not an upgrade state: options or phase missing");
            }
            return s;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a readable upgrade state: " + e.getOriginalMessage(), e);
        }
    }

    /** A deep copy: {@link UpgradeEngine#advance} never changes the state it was given. */
    public UpgradeState copy() {
        return fromJson(toJson());
    }

    public boolean terminal() {
        return phase.terminal();
    }

    public Optional<NodeRecord> node(String id) {
        return nodes.stream().filter(n -> n.id.equals(id)).findFirst();
    }

    public Optional<NodeRecord> currentNode() {
        return currentNodeId == null ? Optional.empty() : node(currentNodeId);
    }

    /** No node action was ever started and no node was found already upgraded: cancelling upgrade mode is safe. */
    public boolean nothingUpgradedYet() {
        return nodes.stream().noneMatch(n -> n.actionStartedAt != null || n.step.touched() || n.step == NodeStep.SKIPPED);
    }

    /**
     * Whether this upgrade changed the cluster, or found it already mid-upgrade: only such a state is worth keeping
     * for the next run. A refusal, or a stop before upgrade mode was enabled, changed nothing (the next run starts
     * afresh, with any target).
     */
    public boolean changedCluster() {
        if (phase == UpgradePhase.REFUSED) {
            return false;
        }
        boolean midUpgrade = switch (phase) {
            case UPGRADE_NODES, FINALIZE_CHECK, APPROVE, AWAIT_FINALIZATION -> true;
            case FAILED, ABORTED -> clusterState != null && !ClusterState.STABLE.name().equals(clusterState);
            default -> false;
        };
        return midUpgrade || upgradeModeEnabledByUs || nodes.stream().anyMatch(n -> n.actionStartedAt != null
                || n.step.touched());
    }
}
