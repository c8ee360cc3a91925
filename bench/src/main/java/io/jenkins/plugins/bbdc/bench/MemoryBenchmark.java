package io.jenkins.plugins.bbdc.bench;

import io.jenkins.plugins.bbdc.core.backup.BackupConfig;
import io.jenkins.plugins.bbdc.core.backup.BackupEngine;
import io.jenkins.plugins.bbdc.core.backup.BackupOutcome;
import io.jenkins.plugins.bbdc.core.backup.Components;
import io.jenkins.plugins.bbdc.core.catalog.FileCatalog;
import io.jenkins.plugins.bbdc.core.exec.ProcessCommandRunner;
import io.jenkins.plugins.bbdc.core.provider.BackupMode;
import io.jenkins.plugins.bbdc.core.retention.RetentionPlan;
import io.jenkins.plugins.bbdc.core.retention.RetentionPlanner;

import com.sun.management.GarbageCollectionNotificationInfo;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Issue 9 (7): peak heap of a backup of 1 home + 8 Mesh homes (+ database) and of a retention run over 10,000
 * points (quick: 2,000). Method: System.gc(), then a sampler thread reads MemoryMXBean heap "used" every
 * millisecond while the operation runs, and GC notifications give the heap still in use after each collection
 * during the run. "Peak used" includes garbage not yet collected (an upper bound of what the operation needs);
 * "max after GC" is the most live data seen by a collection during the run (a lower bound when no GC ran).
 */
final class MemoryBenchmark implements Benchmark {

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public String description() {
        return "peak heap of a 1 home + 8 Mesh homes backup and of a large retention run";
    }

    @Override
    public List<Table> run(BenchOptions o) throws Exception {
        int points = o.full() ? 10_000 : 2_000;
        Table t = new Table("Heap during the operation (sampled every ms; max heap "
                + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB)", "operation", "heap before, after GC (MiB)",
                "peak used (MiB)", "GCs during", "max used after a GC during (MiB)");
        try (Simulated sim = new Simulated(Duration.ofMillis(200))) {
            FileCatalog catalog = new FileCatalog(Files.createDirectories(o.workDir().resolve("memory-catalog")));
            Components.Builder b = Components.builder().home(new BenchProvider(1, 10, 50));
            for (int m = 1; m <= 8; m++) {
                b.meshHome("mesh" + m, new BenchProvider(1, 10, 50));
            }
            Components components = b.database(new BenchProvider(1, 10, 50)).build();
            HeapWatch w = HeapWatch.start();
            BackupOutcome out = new BackupEngine(BackupConfig.of("memory", components, BackupMode.ZERO_DOWNTIME),
                    sim.admin, catalog, new ProcessCommandRunner(), Clock.systemUTC(), null, null, null).run();
            w.stop();
            t.row("zero-downtime backup, 1 home + 8 Mesh homes + database" + (out.succeeded() ? "" : " (FAILED)"),
                    mib(w.before), mib(w.peak), w.gcs.get(), w.gcs.get() == 0 ? "-" : mib(w.maxAfterGc.get()));
        }
        RetentionBenchmark.Scenario s = RetentionBenchmark.Scenario.create(o.workDir().resolve("memory-retention"),
                points);
        HeapWatch w = HeapWatch.start();
        RetentionPlan plan = new RetentionPlanner(RetentionBenchmark.POLICY).plan(RetentionBenchmark.INSTANCE,
                s.catalog().list(RetentionBenchmark.INSTANCE), s.now());
        s.executor().execute(plan);
        w.stop();
        t.row("retention over " + points + " points (list, plan, execute)", mib(w.before), mib(w.peak),
                w.gcs.get(), w.gcs.get() == 0 ? "-" : mib(w.maxAfterGc.get()));
        return List.of(t);
    }

    private static double mib(long bytes) {
        return bytes / (double) (1 << 20);
    }

    /** Samples heap use while an operation runs, and listens to the collections that happen meanwhile. */
    private static final class HeapWatch implements NotificationListener {
        final long before;
        volatile long peak;
        final AtomicInteger gcs = new AtomicInteger();
        final AtomicLong maxAfterGc = new AtomicLong();
        private volatile boolean running = true;
        private final Thread sampler;

        private HeapWatch(long before) {
            this.before = before;
            this.peak = before;
            MemoryMXBean heap = ManagementFactory.getMemoryMXBean();
            this.sampler = new Thread(() -> {
                while (running) {
                    long used = heap.getHeapMemoryUsage().getUsed();
                    if (used > peak) {
                        peak = used;
                    }
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "heap-sampler");
            sampler.setDaemon(true);
        }

        static HeapWatch start() throws InterruptedException {
            System.gc();
            Thread.sleep(100);
            HeapWatch w = new HeapWatch(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (gc instanceof NotificationEmitter e) {
                    e.addNotificationListener(w, null, null);
                }
            }
            w.sampler.start();
            return w;
        }

        void stop() throws InterruptedException {
            running = false;
            sampler.join();
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (gc instanceof NotificationEmitter e) {
                    try {
                        e.removeNotificationListener(this);
                    } catch (ListenerNotFoundException ignored) {
                        // not registered on this bean
                    }
                }
            }
        }

        @Override
        public void handleNotification(Notification n, Object handback) {
            if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                return;
            }
            GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from(
                    (CompositeData) n.getUserData());
            long after = info.getGcInfo().getMemoryUsageAfterGc().values().stream().mapToLong(MemoryUsage::getUsed)
                    .sum();
            long beforeGc = info.getGcInfo().getMemoryUsageBeforeGc().values().stream()
                    .mapToLong(MemoryUsage::getUsed).sum();
            gcs.incrementAndGet();
            maxAfterGc.accumulateAndGet(after, Math::max);
            if (beforeGc > peak) {
                peak = beforeGc;
            }
        }
    }
}
