package io.jenkins.plugins.bbdc.core.provider.netapp;

import io.jenkins.plugins.bbdc.core.provider.ProviderException;

/** ONTAP answered with an error: the HTTP status and ONTAP's own error code (e.g. {@code 4} "entry doesn't exist"). */
public class OntapException extends ProviderException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String code;

    public OntapException(String message, int status, String code) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
