package io.jenkins.plugins.bbdc.testkit.bitbucket;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The maintenance lock and the external backup task of section 3. Guarded by the cluster's monitor. */
final class Maintenance {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SimSettings settings;
    private final SimFaults faults;
    private String unlockToken;
    private Backup backup;
    private final List<Integer> progress = new ArrayList<>();

    /** One external backup started under the lock. */
    private static final class Backup {
        final String cancelToken = newToken();
        final long startedNanos = System.nanoTime();
        int polls;
        String taskState = "RUNNING";
        boolean dbDrained;
        boolean scmDrained;
    }

    Maintenance(SimSettings settings, SimFaults faults) {
        this.settings = settings;
        this.faults = faults;
    }

    /** True while nodes must report MAINTENANCE: our lock is held, or someone else's (fault). */
    boolean active() {
        return unlockToken != null || faults.lockHeldElsewhere();
    }

    boolean locked() {
        return unlockToken != null;
    }

    List<Integer> progress() {
        return List.copyOf(progress);
    }

    SimResponse lock() {
        if (unlockToken != null || faults.lockHeldElsewhere()) {
            return SimResponse.error(409, "Bitbucket is already locked for maintenance. Release the existing lock "
                    + "with its unlock token before taking a new one.");
        }
        unlockToken = newToken();
        return SimResponse.json(faults.lockStatus(), Json.obj("unlockToken", unlockToken));
    }

    SimResponse startBackup(SimRequest request) {
        if (!validMaintenanceHeader(request)) {
            return missingMaintenanceToken();
        }
        if (!"true".equals(request.param("external"))) {
            return SimResponse.error(400, "The simulator only supports external backups (?external=true).");
        }
        if (backup != null && "RUNNING".equals(backup.taskState)) {
            return SimResponse.error(409, "A backup is already in progress.");
        }
        backup = new Backup();
        return SimResponse.json(202, Json.obj("cancelToken", backup.cancelToken));
    }

    SimResponse poll(SimRequest request) {
        if (!validMaintenanceHeader(request)) {
            return missingMaintenanceToken();
        }
        if (backup == null) {
            return SimResponse.json(200, Json.obj("db-state", "AVAILABLE", "scm-state", "AVAILABLE"));
        }
        backup.polls++;
        advanceDrain();
        if ("RUNNING".equals(backup.taskState)) {
            String injected = faults.taskStateAtPoll(backup.polls);
            if (injected != null) {
                backup.taskState = injected;
            }
        }
        return SimResponse.json(200, Json.obj(
                "task", Json.obj("state", backup.taskState),
                "db-state", backup.dbDrained ? "DRAINED" : "AVAILABLE",
                "scm-state", backup.scmDrained ? "DRAINED" : "AVAILABLE"));
    }

    private void advanceDrain() {
        if (faults.drainNeverFinishes()) {
            return;
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - backup.startedNanos);
        int dbPolls = faults.dbDrainPolls();
        int scmPolls = faults.scmDrainPolls();
        // By default the database drains half-way through drainTime, so a poller sees the intermediate state.
        Duration dbTime = faults.dbDrainTime() != null ? faults.dbDrainTime() : settings.drainTime.dividedBy(2);
        Duration scmTime = faults.scmDrainTime() != null ? faults.scmDrainTime() : settings.drainTime;
        boolean db = dbPolls > 0 ? backup.polls >= dbPolls : elapsed.compareTo(dbTime) >= 0;
        boolean scm = scmPolls > 0 ? backup.polls >= scmPolls : elapsed.compareTo(scmTime) >= 0;
        backup.dbDrained |= db;
        backup.scmDrained |= scm;
    }

    SimResponse progress(SimRequest request) {
        if (unlockToken == null || !unlockToken.equals(request.param("token"))) {
            return SimResponse.error(401, "Invalid or missing maintenance token (query parameter 'token' must be "
                    + "the unlock token).");
        }
        int percentage;
        try {
            percentage = Integer.parseInt(request.param("percentage"));
        } catch (NumberFormatException e) {
            return SimResponse.error(400, "Query parameter 'percentage' must be an integer between 0 and 100.");
        }
        if (percentage < 0 || percentage > 100) {
            return SimResponse.error(400, "Query parameter 'percentage' must be an integer between 0 and 100.");
        }
        progress.add(percentage);
        return SimResponse.empty(faults.progressStatus());
    }

    SimResponse cancel(SimRequest request) {
        String token = request.param("token");
        if (backup == null || token == null || !backup.cancelToken.equals(token)) {
            return SimResponse.error(401, "Invalid or missing cancel token.");
        }
        if ("RUNNING".equals(backup.taskState)) {
            backup.taskState = "CANCELED";
        }
        return SimResponse.empty(200);
    }

    SimResponse unlock(SimRequest request) {
        String token = request.param("token");
        if (unlockToken == null || !unlockToken.equals(token)) {
            return SimResponse.error(401, "Invalid or missing unlock token.");
        }
        unlockToken = null;
        backup = null;
        return SimResponse.empty(200);
    }

    private boolean validMaintenanceHeader(SimRequest request) {
        return unlockToken != null && unlockToken.equals(request.header("X-Atlassian-Maintenance-Token"));
    }

    private static SimResponse missingMaintenanceToken() {
        return SimResponse.error(401, "Invalid or missing X-Atlassian-Maintenance-Token header.");
    }

    static String newToken() {
        byte[] bytes = new byte[20];
        RANDOM.nextBytes(bytes);
        StringBuilder hex = new StringBuilder(40);
        for (byte b : bytes) {
            hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return hex.toString();
    }
}
