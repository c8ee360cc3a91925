package io.jenkins.plugins.bbdc.core.restore;

import java.io.Serializable;
import java.util.List;

/**
 * The result of verifying a restored Bitbucket home and database. {@link #passed()} is false as soon as one check
 * failed; warnings never fail a verification.
 */
public record VerificationReport(List<Check> checks, int repositoriesInDatabase, int repositoryDirectories,
                                 int fsckSampled, long elapsedMillis) {

    public enum Outcome { PASS, WARN, FAIL }

    /** One rule of the restore test (docs/restore.md) and what it found. */
    public record Check(String name, Outcome outcome, String details) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    public VerificationReport {
        checks = List.copyOf(checks);
    }

    public boolean passed() {
        return checks.stream().noneMatch(c -> c.outcome() == Outcome.FAIL);
    }

    public List<Check> failures() {
        return checks.stream().filter(c -> c.outcome() == Outcome.FAIL).toList();
    }

    /** A few lines a person reads: PASS/FAIL, then every check. */
    public String describe() {
        StringBuilder sb = new StringBuilder(passed() ? "PASS" : "FAIL").append(": ")
                .append(repositoriesInDatabase).append(" repositories in the database, ")
                .append(repositoryDirectories).append(" repository directories, ")
                .append(fsckSampled).append(" checked with git fsck, in ").append(elapsedMillis).append(" ms\n");
        for (Check c : checks) {
            sb.append("  ").append(c.outcome()).append("  ").append(c.name()).append(": ").append(c.details())
                    .append('\n');
        }
        return sb.toString();
    }
}
