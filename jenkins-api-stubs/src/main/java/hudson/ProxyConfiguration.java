package hudson;

import hudson.util.Secret;

public final class ProxyConfiguration {
    private ProxyConfiguration() {
        throw new UnsupportedOperationException();
    }

    public String getUserName() {
        throw new UnsupportedOperationException();
    }

    public Secret getSecretPassword() {
        throw new UnsupportedOperationException();
    }

    public int getPort() {
        throw new UnsupportedOperationException();
    }

    public String getName() {
        throw new UnsupportedOperationException();
    }

    public String getNoProxyHost() {
        throw new UnsupportedOperationException();
    }
}
