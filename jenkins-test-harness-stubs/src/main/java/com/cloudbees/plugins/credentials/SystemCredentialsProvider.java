package com.cloudbees.plugins.credentials;

import hudson.model.AbstractDescribableImpl;
import hudson.model.Saveable;
import java.io.IOException;
import java.util.List;

@SuppressWarnings("deprecation")
public class SystemCredentialsProvider extends AbstractDescribableImpl<SystemCredentialsProvider>
        implements Saveable {

    private SystemCredentialsProvider() {
        throw new UnsupportedOperationException();
    }

    public static SystemCredentialsProvider getInstance() {
        throw new UnsupportedOperationException();
    }

    public List<Credentials> getCredentials() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void save() throws IOException {
        throw new UnsupportedOperationException();
    }
}
