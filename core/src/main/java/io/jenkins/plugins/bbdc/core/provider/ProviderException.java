package io.jenkins.plugins.bbdc.core.provider;

/**
 * A provider could not do what was asked. The message says what is wrong and what to do; it never contains a
 * secret. {@code leftovers} names anything the failed call created and could not remove.
 */
public class ProviderException extends Exception {
    private static final long serialVersionUID = 1L;

    public ProviderException(String message) {
        super(message);
    }

    public ProviderException(String message, Throwable cause) {
        super(message, cause);
    }
}
