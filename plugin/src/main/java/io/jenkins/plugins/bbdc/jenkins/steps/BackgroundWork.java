package io.jenkins.plugins.bbdc.jenkins.steps;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.bbdc.jenkins.Messages;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;

/**
 * Runs a blocking engine call (a backup, a restore) on its own thread while the step execution polls for its end,
 * so no Pipeline thread is blocked and the step stays responsive to {@code stop}. The persisted state is the work's
 * id and the engine's last checkpoint (its own resumable JSON state, never a secret). After a controller restart the
 * thread is gone: the machine is handed the checkpoint and either continues from it (the backup engine's
 * {@code resume}) or explains what happened and what to do.
 *
 * <p>Stopping interrupts the thread — or, for an {@link EngineWork}, calls the engine's own {@code stop()} — and
 * waits until the engine's own clean-up (unlock, delete partial snapshots) has finished before the step ends.
 */
public final class BackgroundWork {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The engine call. A stop interrupts its thread. */
    @FunctionalInterface
    public interface Work {
        Map<String, Object> run(Progress progress) throws Exception;
    }

    /**
     * An engine call whose stop must reach the engine object rather than interrupt the thread: the work hands the
     * engine's {@code stop()} to {@link Progress#stopThrough} and a stop is delivered there, also when it was asked
     * for before the engine existed. An interrupt would be wrong there: a thread interrupted before the engine takes
     * its file run lock fails to take it ({@code ClosedByInterruptException}), so a resumed backup could not even
     * unlock Bitbucket.
     */
    @FunctionalInterface
    public interface EngineWork extends Work {
    }

    /**
     * What a running work reports — a status line for {@code getStatus()} and its resumable checkpoint — and how a
     * stop reaches it.
     */
    public static final class Progress {
        private volatile String status;
        private volatile String checkpoint;
        /** Guarded by this. */
        private boolean stopRequested;
        /** Where a stop goes now (guarded by this); null: nowhere yet (an {@link EngineWork} keeps it pending). */
        private Runnable stopper;

        public Progress(String status, String checkpoint) {
            this.status = status;
            this.checkpoint = checkpoint;
        }

        public void status(String line) {
            if (line != null && !line.isBlank()) {
                this.status = line;
            }
        }

        /** The engine's resumable state (persisted with the step at its next poll). */
        public void checkpoint(String json) {
            this.checkpoint = json;
        }

        public String status() {
            return status;
        }

        public String checkpoint() {
            return checkpoint;
        }

        /** A stop was asked for (it may not have reached the engine yet). */
        public synchronized boolean stopRequested() {
            return stopRequested;
        }

        /**
         * Routes stops to {@code stopper} (the engine's own {@code stop()}) until the returned route is closed; a
         * stop asked for earlier is delivered at once. Closing it routes later stops to an interrupt of the calling
         * thread, and re-raises a stop that came meanwhile as that thread's interrupt, so what follows the engine
         * call (retention) sees it.
         */
        public synchronized StopRoute stopThrough(Runnable stopper) {
            Thread caller = Thread.currentThread();
            this.stopper = stopper;
            if (stopRequested) {
                stopper.run();
            }
            return () -> {
                synchronized (Progress.this) {
                    this.stopper = caller::interrupt;
                    if (stopRequested) {
                        caller.interrupt();
                    }
                }
            };
        }

        /** Records the stop and hands it to the current route, if there is one. */
        synchronized void requestStop() {
            stopRequested = true;
            if (stopper != null) {
                stopper.run();
            }
        }
    }

    /** An open route of stops to an engine; see {@link Progress#stopThrough}. */
    @FunctionalInterface
    public interface StopRoute extends AutoCloseable {
        @Override
        void close();
    }

    /** Creates the work when the first poll starts it. */
    @FunctionalInterface
    public interface WorkFactory {
        Work create() throws Exception;
    }

    /**
     * A work whose thread did not survive a controller restart: return a work that continues from the last
     * checkpoint, or throw an exception whose message says what state things are in and what to do.
     */
    @FunctionalInterface
    public interface Recovery {
        Work recover(String checkpoint) throws Exception;
    }

    /** A failure that still returns what was done (for the step's result and the build page). */
    public static final class ResultfulFailure extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient Map<String, Object> result;

        public ResultfulFailure(String message, Map<String, Object> result) {
            super(message);
            this.result = result;
        }

        public Map<String, Object> result() {
            return result;
        }
    }

    /** The persisted state of a background work. */
    public static final class State {
        public String workId;
        public String checkpoint;
        public String status;

        public State() {
        }

        State(String workId, String checkpoint, String status) {
            this.workId = workId;
            this.checkpoint = checkpoint;
            this.status = status;
        }

        String toJson() {
            try {
                return JSON.writeValueAsString(this);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }

        static State fromJson(String json) {
            try {
                return JSON.readValue(json, State.class);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("unreadable operation state: " + e.getOriginalMessage(), e);
            }
        }
    }

    private static final class Running {
        final Thread thread;
        final CompletableFuture<Map<String, Object>> done = new CompletableFuture<>();
        final Progress progress;
        final boolean stopsThroughEngine;
        /** Stopped once only: repeated interrupts would break the engine's own clean-up (unlock, delete). */
        final java.util.concurrent.atomic.AtomicBoolean stopped = new java.util.concurrent.atomic.AtomicBoolean();

        Running(Work work, String what, String checkpoint) {
            this.progress = new Progress(what, checkpoint);
            this.stopsThroughEngine = work instanceof EngineWork;
            this.thread = new Thread(() -> {
                try {
                    done.complete(work.run(progress));
                } catch (Throwable t) {
                    done.completeExceptionally(t);
                }
            }, "bbdc-" + what);
            this.thread.setDaemon(true);
        }

        /**
         * Delivers a stop once: to the engine's {@code stop()} for an {@link EngineWork} (kept pending until the work
         * has its engine), else as an interrupt of the thread.
         */
        void stop() {
            if (!stopped.compareAndSet(false, true)) {
                return;
            }
            progress.requestStop();
            if (!stopsThroughEngine) {
                thread.interrupt();
            }
        }
    }

    private static final ConcurrentMap<String, Running> RUNNING = new ConcurrentHashMap<>();

    private final Duration pollInterval;

    public BackgroundWork(Duration pollInterval) {
        this.pollInterval = pollInterval;
    }

    /**
     * One poll of a background work.
     *
     * @param state the persisted state (null before the work started)
     * @param what  a few words for status lines and messages ({@code backup of prod})
     */
    public Advance advance(String state, boolean stopRequested, WorkFactory factory, String what, Recovery recovery)
            throws Exception {
        if (state == null) {
            if (stopRequested) {
                return Advance.failed(null, Messages.BackgroundWork_statusStopped(), Messages.BackgroundWork_stoppedBeforeStart(what), null);
            }
            return start(factory.create(), what, null);
        }
        State s = State.fromJson(state);
        Running r = RUNNING.get(s.workId);
        if (r == null) {
            // the controller restarted (or the work was otherwise lost): continue from the checkpoint or explain
            Work resumed;
            try {
                resumed = recovery.recover(s.checkpoint);
            } catch (Exception e) {
                String msg = e.getMessage() == null ? e.toString() : e.getMessage();
                return Advance.failed(state, Messages.BackgroundWork_statusRestarted(), msg, null);
            }
            Advance started = start(resumed, Messages.BackgroundWork_resumed(what), s.checkpoint);
            if (stopRequested) {
                // stopped right after a restart: the recovered work still has to release what the engine holds
                // (maintenance lock, partial snapshots); stopped at once, it does only that
                Running again = RUNNING.get(State.fromJson(started.state()).workId);
                if (again != null) {
                    again.stop();
                }
            }
            return started;
        }
        if (stopRequested && r.thread.isAlive()) {
            r.stop();
        }
        State now = new State(s.workId, r.progress.checkpoint(), r.progress.status());
        if (!r.done.isDone()) {
            return Advance.again(now.toJson(), stopRequested ? Messages.OperationExecution_stopRequested(r.progress.status()) : r.progress.status(),
                    stopRequested ? pollInterval.dividedBy(4) : pollInterval);
        }
        RUNNING.remove(s.workId);
        try {
            return Advance.succeeded(now.toJson(), Messages.BackgroundWork_statusFinished(), r.done.get());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof InterruptedException && stopRequested) {
                return Advance.failed(now.toJson(), Messages.BackgroundWork_statusStopped(), Messages.BackgroundWork_stopped(what), null);
            }
            if (cause instanceof ResultfulFailure f) {
                return Advance.failed(now.toJson(), Messages.BackgroundWork_statusFailed(), f.getMessage(), f.result());
            }
            String msg = cause.getMessage() == null ? cause.toString() : cause.getMessage();
            return Advance.failed(now.toJson(), Messages.BackgroundWork_statusFailed(), msg, null);
        }
    }

    private Advance start(Work work, String what, String checkpoint) {
        String id = UUID.randomUUID().toString();
        Running r = new Running(work, what, checkpoint);
        RUNNING.put(id, r);
        r.thread.start();
        return Advance.again(new State(id, checkpoint, what).toJson(), Messages.BackgroundWork_statusStarted(what), pollInterval);
    }

    /** Forgets every running work as a controller restart would (tests only). */
    static void forgetAllForTests() {
        RUNNING.clear();
    }
}
