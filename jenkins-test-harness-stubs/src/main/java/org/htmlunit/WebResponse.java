package org.htmlunit;

import java.io.Serializable;

public class WebResponse implements Serializable {
    private static final long serialVersionUID = 1L;

    private WebResponse() {
        throw new UnsupportedOperationException();
    }

    public int getStatusCode() {
        throw new UnsupportedOperationException();
    }

    public String getContentAsString() {
        throw new UnsupportedOperationException();
    }
}
