package io.jenkins.plugins.casc;

/** Left out: the abstract lookup members (the tests never implement this interface). */
public interface ConfiguratorRegistry {
    static ConfiguratorRegistry get() {
        throw new UnsupportedOperationException();
    }
}
