package io.jenkins.plugins.bbdc.testkit.bitbucket;

/** Bitbucket-style build numbers: 8.19.2 → 8019002 (major, then minor and patch in three digits each). */
final class BuildNumbers {
    private BuildNumbers() {
    }

    static String of(String version) {
        String[] parts = version.split("[.-]");
        long number = 0;
        for (int i = 0; i < 3; i++) {
            number = number * 1000 + (i < parts.length ? digits(parts[i]) : 0);
        }
        return Long.toString(number);
    }

    private static long digits(String part) {
        StringBuilder digits = new StringBuilder();
        for (char c : part.toCharArray()) {
            if (!Character.isDigit(c)) {
                break;
            }
            digits.append(c);
        }
        return digits.length() == 0 ? 0 : Math.min(999, Long.parseLong(digits.toString()));
    }
}
