package io.jenkins.plugins.bbdc.core.provider;

import java.util.ArrayList;
import java.util.List;

/** Result of {@link SnapshotProvider#check}: findings, each an error (refuses the operation) or a warning. */
public record CheckReport(List<Finding> findings) {

    public record Finding(boolean error, String message) { }

    public CheckReport {
        findings = List.copyOf(findings);
    }

    public static CheckReport ok() {
        return new CheckReport(List.of());
    }

    public boolean hasErrors() {
        return findings.stream().anyMatch(Finding::error);
    }

    public List<String> errors() {
        return findings.stream().filter(Finding::error).map(Finding::message).toList();
    }

    public static final class Builder {
        private final List<Finding> findings = new ArrayList<>();

        public Builder error(String message) {
            findings.add(new Finding(true, message));
            return this;
        }

        public Builder warning(String message) {
            findings.add(new Finding(false, message));
            return this;
        }

        public CheckReport build() {
            return new CheckReport(findings);
        }
    }
}
