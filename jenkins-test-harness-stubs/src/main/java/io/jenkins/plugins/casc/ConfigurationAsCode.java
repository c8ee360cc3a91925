package io.jenkins.plugins.casc;

/** Left out: the supertype ManagementLink. */
public class ConfigurationAsCode {
    private ConfigurationAsCode() {
        throw new UnsupportedOperationException();
    }

    public static ConfigurationAsCode get() {
        throw new UnsupportedOperationException();
    }

    public void configure(String... configParameters) throws ConfiguratorException {
        throw new UnsupportedOperationException();
    }
}
