package com.cloudbees.plugins.credentials;

import java.io.Serializable;

/** Left out: the abstract members getDisplayName and isVisible (the constant bodies implement them). */
public enum CredentialsScope implements Serializable {
    SYSTEM,
    GLOBAL,
    USER
}
