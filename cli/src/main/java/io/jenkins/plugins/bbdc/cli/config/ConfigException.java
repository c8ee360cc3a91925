package io.jenkins.plugins.bbdc.cli.config;

/**
 * A configuration error: names the file, the key path and what was expected. Exit code 2.
 */
public class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public static ConfigException at(String file, String path, String problem) {
        return new ConfigException(file + ": " + (path.isEmpty() ? "(top level)" : path) + ": " + problem);
    }
}
