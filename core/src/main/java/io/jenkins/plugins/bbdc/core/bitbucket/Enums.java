package io.jenkins.plugins.bbdc.core.bitbucket;

import java.util.Locale;

final class Enums {
    private Enums() {
    }

    static <E extends Enum<E>> E parse(Class<E> type, String raw, E unknown) {
        if (raw == null || raw.isBlank()) {
            return unknown;
        }
        try {
            return Enum.valueOf(type, raw.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return unknown;
        }
    }
}
