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

    /**
     * True when the failed call got no answer, so the service may have carried it out anyway (a request cut off in
     * flight): a caller that started something must not assume nothing was created.
     */
    public boolean outcomeUnknown() {
        return false;
    }
}
