package io.jenkins.plugins.bbdc.testkit.bitbucket;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Named daemon threads, so a forgotten simulator never keeps a JVM alive and leaks are easy to spot. */
final class DaemonThreads implements ThreadFactory {
    private final String prefix;
    private final AtomicInteger counter = new AtomicInteger();

    DaemonThreads(String prefix) {
        this.prefix = prefix;
    }

    @Override
    public Thread newThread(Runnable task) {
        Thread thread = new Thread(task, prefix + "-" + counter.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    }
}
