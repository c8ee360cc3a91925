package io.jenkins.plugins.bbdc.core.exec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One command to run: an argument list (never a shell string built from user input), extra environment, optional
 * working directory, stdin and timeout. Secrets travel in {@link #environment()} or {@link #stdin()} and their values
 * are listed in {@link #secrets()} so that every runner masks them in whatever it prints.
 */
public final class CommandSpec {
    private final List<String> command;
    private final Map<String, String> environment;
    private final Path workingDirectory;
    private final byte[] stdin;
    private final Duration timeout;
    private final Set<String> secrets;
    private final String runAsUser;

    private CommandSpec(Builder b) {
        this.command = List.copyOf(b.command);
        this.environment = Collections.unmodifiableMap(new LinkedHashMap<>(b.environment));
        this.workingDirectory = b.workingDirectory;
        this.stdin = b.stdin;
        this.timeout = b.timeout;
        this.secrets = Collections.unmodifiableSet(new TreeSet<>(b.secrets));
        this.runAsUser = b.runAsUser;
    }

    public static Builder of(String... command) {
        return new Builder(List.of(command));
    }

    public static Builder of(List<String> command) {
        return new Builder(command);
    }

    public List<String> command() {
        return command;
    }

    public Map<String, String> environment() {
        return environment;
    }

    public Path workingDirectory() {
        return workingDirectory;
    }

    public byte[] stdin() {
        return stdin;
    }

    public Duration timeout() {
        return timeout;
    }

    public Set<String> secrets() {
        return secrets;
    }

    /** When set, the command runs as this OS user (used by tests that must run PostgreSQL tools as 'postgres'). */
    public String runAsUser() {
        return runAsUser;
    }

    /** The command line for logs and plans, with every secret value replaced by {@code ****}. */
    public String display() {
        StringBuilder sb = new StringBuilder();
        for (String arg : command) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            String masked = mask(arg);
            sb.append(masked.isEmpty() || masked.chars().anyMatch(c -> Character.isWhitespace(c) || c == '\'' || c == '"')
                    ? "'" + masked.replace("'", "'\\''") + "'" : masked);
        }
        return sb.toString();
    }

    /** Replaces every secret value inside {@code text} by {@code ****}. */
    public String mask(String text) {
        String out = text;
        for (String s : secrets) {
            if (s != null && !s.isEmpty()) {
                out = out.replace(s, "****");
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return display();
    }

    public static final class Builder {
        private final List<String> command;
        private final Map<String, String> environment = new LinkedHashMap<>();
        private Path workingDirectory;
        private byte[] stdin;
        private Duration timeout = Duration.ofHours(12);
        private final Set<String> secrets = new TreeSet<>();
        private String runAsUser;

        private Builder(List<String> command) {
            if (command.isEmpty()) {
                throw new IllegalArgumentException("a command needs at least the program name");
            }
            this.command = new ArrayList<>(command);
            for (String arg : command) {
                Objects.requireNonNull(arg, "command arguments must not be null");
            }
        }

        public Builder env(String name, String value) {
            environment.put(name, value);
            return this;
        }

        /** An environment variable whose value is secret: passed to the process, masked everywhere else. */
        public Builder secretEnv(String name, String value) {
            environment.put(name, value);
            secrets.add(value);
            return this;
        }

        public Builder directory(Path dir) {
            this.workingDirectory = dir;
            return this;
        }

        public Builder stdin(byte[] input) {
            this.stdin = input == null ? null : input.clone();
            return this;
        }

        public Builder timeout(Duration t) {
            this.timeout = Objects.requireNonNull(t);
            return this;
        }

        public Builder secret(String value) {
            secrets.add(value);
            return this;
        }

        public Builder runAs(String user) {
            this.runAsUser = user;
            return this;
        }

        public CommandSpec build() {
            return new CommandSpec(this);
        }
    }
}
