package io.jenkins.plugins.bbdc.testkit.bitbucket;

import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator.Faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/** The failure-injection switches; all off by default (newer ZDU plugin and XSRF enforcement on). */
final class SimFaults implements Faults {
    private boolean drainNeverFinishes;
    private int taskFailsAtPoll = -1;
    private String taskFailState;
    private boolean lockHeldElsewhere;
    private boolean approveFailsWith500;
    private int finalizationFailures;
    private boolean newerZduPlugin = true;
    private boolean enforceXsrf = true;
    private final Set<String> htmlOnce = new HashSet<>();
    private Duration latency = Duration.ZERO;
    private String unknownNodeState;
    private final List<FailRule> failRules = new ArrayList<>();
    private int dbDrainPolls = -1;
    private int scmDrainPolls = -1;
    private Duration dbDrainTime;
    private Duration scmDrainTime;
    private int lockStatus = 202;
    private int progressStatus = 202;

    private static final class FailRule {
        final String prefix;
        int remaining;
        final int status;

        FailRule(String prefix, int remaining, int status) {
            this.prefix = prefix;
            this.remaining = remaining;
            this.status = status;
        }
    }

    @Override
    public synchronized void drainNeverFinishes(boolean on) {
        drainNeverFinishes = on;
    }

    synchronized boolean drainNeverFinishes() {
        return drainNeverFinishes;
    }

    @Override
    public synchronized void taskStateAfterPolls(int polls, String state) {
        if (polls < 1 || state == null || state.isBlank()) {
            throw new IllegalArgumentException("taskStateAfterPolls needs polls >= 1 and a state such as FAILED");
        }
        taskFailsAtPoll = polls;
        taskFailState = state;
    }

    /**
     * The task state to report at poll number {@code poll} (1-based) of a backup, or null to keep the current one.
     * One-shot: once it has hit a backup it is disarmed, so a retried backup runs clean.
     */
    synchronized String taskStateAtPoll(int poll) {
        if (taskFailsAtPoll > 0 && poll >= taskFailsAtPoll) {
            taskFailsAtPoll = -1;
            return taskFailState;
        }
        return null;
    }

    @Override
    public synchronized void lockHeldElsewhere(boolean on) {
        lockHeldElsewhere = on;
    }

    synchronized boolean lockHeldElsewhere() {
        return lockHeldElsewhere;
    }

    @Override
    public synchronized void approveFailsWith500(boolean on) {
        approveFailsWith500 = on;
    }

    synchronized boolean approveFailsWith500() {
        return approveFailsWith500;
    }

    @Override
    public synchronized void finalizationFails(int times) {
        if (times < 0) {
            throw new IllegalArgumentException("finalizationFails needs times >= 0");
        }
        finalizationFailures = times;
    }

    /** Consumes one injected finalization failure; true when this finalization must fail. */
    synchronized boolean takeFinalizationFailure() {
        if (finalizationFailures > 0) {
            finalizationFailures--;
            return true;
        }
        return false;
    }

    @Override
    public synchronized void newerZduPlugin(boolean on) {
        newerZduPlugin = on;
    }

    synchronized boolean newerZduPlugin() {
        return newerZduPlugin;
    }

    @Override
    public synchronized void enforceXsrf(boolean on) {
        enforceXsrf = on;
    }

    synchronized boolean enforceXsrf() {
        return enforceXsrf;
    }

    @Override
    public synchronized void htmlLoginPageOnce(String path) {
        htmlOnce.add(path);
    }

    synchronized boolean takeHtmlLoginPage(String path) {
        return htmlOnce.remove(path);
    }

    @Override
    public synchronized void latency(Duration d) {
        latency = d == null || d.isNegative() ? Duration.ZERO : d;
    }

    synchronized Duration latency() {
        return latency;
    }

    @Override
    public synchronized void unknownNodeStateOnce(String value) {
        unknownNodeState = value;
    }

    synchronized String takeUnknownNodeState() {
        String value = unknownNodeState;
        unknownNodeState = null;
        return value;
    }

    @Override
    public synchronized void failNext(String pathPrefix, int times, int status) {
        if (times < 1 || status < 100 || status > 599) {
            throw new IllegalArgumentException("failNext needs times >= 1 and an HTTP status (100..599)");
        }
        failRules.add(new FailRule(pathPrefix, times, status));
    }

    /** Consumes one injected failure for {@code path}; returns its status or 0. */
    synchronized int takeFailure(String path) {
        for (Iterator<FailRule> it = failRules.iterator(); it.hasNext(); ) {
            FailRule rule = it.next();
            if (path.startsWith(rule.prefix)) {
                rule.remaining--;
                if (rule.remaining <= 0) {
                    it.remove();
                }
                return rule.status;
            }
        }
        return 0;
    }

    @Override
    public synchronized void drainAfterPolls(int dbPolls, int scmPolls) {
        dbDrainPolls = dbPolls;
        scmDrainPolls = scmPolls;
    }

    synchronized int dbDrainPolls() {
        return dbDrainPolls;
    }

    synchronized int scmDrainPolls() {
        return scmDrainPolls;
    }

    @Override
    public synchronized void drainTimes(Duration db, Duration scm) {
        if (db == null || scm == null || db.isNegative() || scm.isNegative()) {
            throw new IllegalArgumentException("drainTimes needs two durations >= 0");
        }
        dbDrainTime = db;
        scmDrainTime = scm;
    }

    /** Time until db-state drains, or null for the default (half of drainTime). */
    synchronized Duration dbDrainTime() {
        return dbDrainTime;
    }

    /** Time until scm-state drains, or null for the default (drainTime). */
    synchronized Duration scmDrainTime() {
        return scmDrainTime;
    }

    @Override
    public synchronized void lockStatus(int status) {
        requireSuccess(status, "lockStatus");
        lockStatus = status;
    }

    synchronized int lockStatus() {
        return lockStatus;
    }

    @Override
    public synchronized void progressStatus(int status) {
        requireSuccess(status, "progressStatus");
        progressStatus = status;
    }

    synchronized int progressStatus() {
        return progressStatus;
    }

    private static void requireSuccess(int status, String what) {
        if (status < 200 || status > 299) {
            throw new IllegalArgumentException(what + " is the status of a successful call (2xx); use failNext "
                    + "for errors");
        }
    }
}
