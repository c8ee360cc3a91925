package io.jenkins.plugins.bbdc.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The facts about the machine that every figure depends on. */
final class Machine {
    private Machine() {
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    static String describe() {
        long memKb = 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    memKb = Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            memKb = -1;
        }
        return "nproc " + Runtime.getRuntime().availableProcessors() + ", memory " + (memKb >> 20) + " GiB, Java "
                + Runtime.version() + ", load average " + loadAverage();
    }
}
