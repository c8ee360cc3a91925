package io.jenkins.plugins.bbdc.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A {@code script} home provider for process tests: a snapshot is a file in {@code dir} named after the snapshot and
 * holding its restore point id. {@code PREPARE_SLEEP} (seconds) makes the prepare step last, {@code CAPTURE_HOOK} is a
 * shell command run at the capture (while Bitbucket is locked) to inject a fault.
 */
final class ScriptHome {
    private ScriptHome() {
    }

    /** Writes the script into {@code dir} and returns the YAML value of {@code backup.home}. */
    static String yaml(Path dir, String prepareSleep, String captureHook) throws IOException {
        Path snapshots = Files.createDirectories(dir.resolve("snapshots"));
        Path script = Files.writeString(dir.resolve("snap.sh"), """
                D='%s'
                case "$BBDC_OPERATION" in
                  prepare) sleep "$PREPARE_SLEEP" ;;
                  capture) if [ -n "$CAPTURE_HOOK" ]; then sh -c "$CAPTURE_HOOK" >&2; fi
                           echo "$BBDC_RESTORE_POINT_ID" > "$D/$BBDC_SNAPSHOT_NAME" && echo "id=$BBDC_SNAPSHOT_NAME" ;;
                  delete) rm -f "$D/$BBDC_SNAPSHOT_ID" ;;
                  list) for f in "$D"/*; do
                          [ -f "$f" ] || continue
                          echo "{\\"id\\":\\"$(basename "$f")\\",\\"restorePointId\\":\\"$(cat "$f")\\",\\"capturedAt\\":\\"2026-01-01T00:00:00Z\\"}"
                        done ;;
                esac
                """.formatted(snapshots));
        String cmd = "[sh, '" + script + "']";
        return "{script: {prepare: " + cmd + ", capture: " + cmd + ", delete: " + cmd + ", list: " + cmd
                + ", env: {PREPARE_SLEEP: '" + prepareSleep + "', CAPTURE_HOOK: '" + captureHook.replace("'", "''")
                + "'}}}";
    }

    /** Snapshot files left in {@code dir}. */
    static long snapshots(Path dir) throws IOException {
        try (var files = Files.list(dir.resolve("snapshots"))) {
            return files.count();
        }
    }
}
