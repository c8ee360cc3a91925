package io.jenkins.plugins.bbdc.jenkins.config;

import io.jenkins.plugins.bbdc.core.provider.BackupMode;
import io.jenkins.plugins.bbdc.jenkins.Messages;
import java.util.Locale;

/** Parses a backup mode as users write it ({@code ZERO_DOWNTIME}, {@code zero-downtime}, {@code locked}). */
public final class BackupModes {
    private BackupModes() {
    }

    public static BackupMode parse(String text) {
        String norm = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (BackupMode m : BackupMode.values()) {
            if (m.name().equals(norm)) {
                return m;
            }
        }
        throw new IllegalArgumentException(Messages.BackupMode_unknown(text));
    }
}
