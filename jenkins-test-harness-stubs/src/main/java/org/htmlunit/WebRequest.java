package org.htmlunit;

import java.io.Serializable;
import java.net.URL;

public class WebRequest implements Serializable {
    private static final long serialVersionUID = 1L;

    public WebRequest(final URL url) {
        throw new UnsupportedOperationException();
    }

    public WebRequest(final URL url, final HttpMethod submitMethod) {
        throw new UnsupportedOperationException();
    }
}
