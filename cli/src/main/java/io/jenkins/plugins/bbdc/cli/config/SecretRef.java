package io.jenkins.plugins.bbdc.cli.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A secret named by an environment variable or a file. {@link #toString()} names the reference, never the value.
 */
public final class SecretRef implements Supplier<String> {
    private final String env;
    private final Path file;
    private final String configPath;
    private final Function<String, String> environment;

    private SecretRef(String env, Path file, String configPath, Function<String, String> environment) {
        this.env = env;
        this.file = file;
        this.configPath = configPath;
        this.environment = environment;
    }

    public static SecretRef env(String name, String configPath) {
        return env(name, configPath, System::getenv);
    }

    /** A variable looked up in {@code environment} (the process environment unless a test gives another). */
    public static SecretRef env(String name, String configPath, Function<String, String> environment) {
        return new SecretRef(name, null, configPath, environment);
    }

    public static SecretRef file(Path file, String configPath) {
        return new SecretRef(null, file, configPath, null);
    }

    /** Resolves the value; a missing variable or unreadable file is a configuration error naming the key. */
    @Override
    public String get() {
        if (env != null) {
            String v = environment.apply(env);
            if (v == null || v.isEmpty()) {
                throw new ConfigException(configPath + ": the environment variable " + env + " is not set");
            }
            return v;
        }
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new ConfigException(configPath + ": cannot read the secret file " + file + " ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    @Override
    public String toString() {
        return env != null ? "env:" + env : "file:" + file;
    }
}
