package io.jenkins.plugins.bbdc.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the benchmarks of docs/performance.md and prints their tables (Markdown).
 * <pre>java -cp 'bench/target/classes:bench/target/lib/*' io.jenkins.plugins.bbdc.bench.Bench [--full] [--runs N]
 *     [--work DIR] [name…]</pre>
 */
public final class Bench {
    private Bench() {
    }

    static Map<String, Benchmark> all() {
        Map<String, Benchmark> m = new LinkedHashMap<>();
        for (Benchmark b : List.of(new SkewBenchmark(), new LockWindowBenchmark(), new PgDumpBenchmark(), new UpgradeBenchmark(), new ThrottleBenchmark(), new EbsRetentionBenchmark(),
                new RetentionBenchmark(), new MemoryBenchmark())) {
            m.put(b.name(), b);
        }
        return m;
    }

    public static void main(String[] args) throws Exception {
        boolean full = false;
        int runs = 0;
        Path work = null;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--full" -> full = true;
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--work" -> work = Path.of(args[++i]);
                case "--help", "-h" -> {
                    usage();
                    return;
                }
                default -> names.add(args[i]);
            }
        }
        Map<String, Benchmark> all = all();
        List<Benchmark> chosen = new ArrayList<>();
        for (String n : names.isEmpty() ? all.keySet() : names) {
            Benchmark b = all.get(n);
            if (b == null) {
                System.err.println("unknown benchmark '" + n + "'; choose from " + all.keySet());
                System.exit(2);
            }
            chosen.add(b);
        }
        boolean ownWork = work == null;
        if (ownWork) {
            work = Files.createTempDirectory("bbdc-bench");
        }
        BenchOptions options = new BenchOptions(full, runs, work);
        System.out.println("# bbdc benchmarks (" + (full ? "full" : "quick") + " sizes)\n\nMachine at start: "
                + Machine.describe());
        int failed = 0;
        for (Benchmark b : chosen) {
            long t0 = System.nanoTime();
            System.out.println("\n## " + b.name() + ": " + b.description());
            try {
                for (Table t : b.run(options)) {
                    System.out.print(t.render());
                }
            } catch (Exception e) {
                failed++;
                System.out.println("\nFAILED: " + e);
                e.printStackTrace();
            }
            System.out.printf("%n(%s took %.1f s; load average now %s)%n", b.name(),
                    (System.nanoTime() - t0) / 1e9, Machine.loadAverage());
        }
        if (ownWork) {
            // argument list, no shell: removes the temporary directory this run created, nothing else
            new ProcessBuilder("rm", "-rf", "--", work.toString()).inheritIO().start().waitFor();
        }
        System.exit(failed == 0 ? 0 : 1);
    }

    private static void usage() {
        System.out.println("usage: Bench [--full] [--runs N] [--work DIR] [name…]; names: " + all().keySet());
    }
}
