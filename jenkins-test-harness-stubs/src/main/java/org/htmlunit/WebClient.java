package org.htmlunit;

import java.io.IOException;
import java.io.Serializable;
import java.net.MalformedURLException;
import java.net.URL;

public class WebClient implements Serializable, AutoCloseable {
    private static final long serialVersionUID = 1L;

    public WebClient() {
        throw new UnsupportedOperationException();
    }

    public <P extends Page> P getPage(final String url)
            throws IOException, FailingHttpStatusCodeException, MalformedURLException {
        throw new UnsupportedOperationException();
    }

    public <P extends Page> P getPage(final URL url) throws IOException, FailingHttpStatusCodeException {
        throw new UnsupportedOperationException();
    }

    public <P extends Page> P getPage(final WebRequest request) throws IOException, FailingHttpStatusCodeException {
        throw new UnsupportedOperationException();
    }

    @Override
    public void close() {
        throw new UnsupportedOperationException();
    }
}
