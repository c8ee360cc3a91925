package io.jenkins.plugins.bbdc.bench;

import java.util.List;

/** One benchmark of docs/performance.md: runs its quick or full size and returns its result tables. */
interface Benchmark {
    String name();

    String description();

    List<Table> run(BenchOptions options) throws Exception;
}
