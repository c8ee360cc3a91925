package io.jenkins.plugins.bbdc.bench;

import java.nio.file.Path;

/**
 * Command-line options shared by all benchmarks.
 *
 * @param full    run the full sizes of issue 9 instead of the quick ones
 * @param runs    repetitions per measurement (0 = the benchmark's default)
 * @param workDir where benchmarks put their data (deleted afterwards)
 */
record BenchOptions(boolean full, int runs, Path workDir) {
    int runsOr(int quick, int fullRuns) {
        return runs > 0 ? runs : full ? fullRuns : quick;
    }
}
