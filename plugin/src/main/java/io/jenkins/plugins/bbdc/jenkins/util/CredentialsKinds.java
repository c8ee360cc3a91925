package io.jenkins.plugins.bbdc.jenkins.util;

import com.cloudbees.jenkins.plugins.awscredentials.AmazonWebServicesCredentials;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import io.jenkins.plugins.bbdc.jenkins.Messages;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/**
 * Kinds of credentials entries as users see them in the credentials store ("Username with password", "Secret
 * text" …), for messages about an entry of the wrong kind — never a class name, never a secret.
 */
public final class CredentialsKinds {
    private CredentialsKinds() {
    }

    /** How the credentials store names entries of {@code type}. */
    public static String kindName(Class<? extends StandardCredentials> type) {
        if (AmazonWebServicesCredentials.class.isAssignableFrom(type)) {
            return Messages.Credentials_kind_aws();
        }
        if (StringCredentials.class.isAssignableFrom(type)) {
            return Messages.Credentials_kind_secretText();
        }
        if (StandardUsernamePasswordCredentials.class.isAssignableFrom(type)) {
            return Messages.Credentials_kind_usernamePassword();
        }
        return type.getSimpleName();
    }

    /** The kind of an existing entry: the display name of its descriptor (the name of the kind in the store). */
    public static String kindOf(StandardCredentials c) {
        return c.getDescriptor().getDisplayName();
    }

    /**
     * The form's check of a chosen id (an empty id is left to the required-field rules).
     *
     * @param kind the kind of the entry with this id, or null when the form's user cannot see one
     * @param fits whether that entry is of the wanted kind
     * @return the problem, or null when the entry can be used
     */
    @CheckForNull
    public static String formProblem(String id, @CheckForNull String kind, boolean fits, String wantedKind) {
        if (kind == null) {
            return Messages.Credentials_notFoundInForm(id, wantedKind);
        }
        return fits ? null : Messages.Credentials_wrongTypeInForm(id, kind, wantedKind);
    }
}
