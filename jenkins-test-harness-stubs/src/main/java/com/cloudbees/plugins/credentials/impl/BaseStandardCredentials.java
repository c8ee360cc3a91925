package com.cloudbees.plugins.credentials.impl;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;

/** Left out: the real direct superclass BaseCredentials (which only adds Credentials). */
public abstract class BaseStandardCredentials implements StandardCredentials {
    private static final long serialVersionUID = 1L;

    public BaseStandardCredentials(@CheckForNull String id, @CheckForNull String description) {
        throw new UnsupportedOperationException();
    }

    public BaseStandardCredentials(
            @CheckForNull CredentialsScope scope, @CheckForNull String id, @CheckForNull String description) {
        throw new UnsupportedOperationException();
    }

    @NonNull
    @Override
    public String getDescription() {
        throw new UnsupportedOperationException();
    }

    @NonNull
    @Override
    public String getId() {
        throw new UnsupportedOperationException();
    }
}
