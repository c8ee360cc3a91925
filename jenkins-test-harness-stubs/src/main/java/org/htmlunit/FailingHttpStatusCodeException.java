package org.htmlunit;

public class FailingHttpStatusCodeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public FailingHttpStatusCodeException(final WebResponse failingResponse) {
        throw new UnsupportedOperationException();
    }

    public int getStatusCode() {
        throw new UnsupportedOperationException();
    }

    public WebResponse getResponse() {
        throw new UnsupportedOperationException();
    }
}
