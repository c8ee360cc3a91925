package io.jenkins.plugins.bbdc.jenkins.runtime;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import io.jenkins.plugins.bbdc.jenkins.Messages;

/**
 * The user-facing rules of resolving a credentials id in a build, independent of the credentials API: an empty id,
 * an id that does not exist for this build, and an id of the wrong kind each get their own message. Messages carry
 * ids and kinds only — never a secret.
 */
public final class CredentialsResolution {
    private CredentialsResolution() {
    }

    /**
     * @param id          the configured id
     * @param found       whether an entry of the wanted kind was found
     * @param otherKind   the display name of the kind of an entry with this id but of another kind, or null
     * @param usedFor     what needs it ("the Bitbucket instance 'prod'")
     * @param wantedKind  "Username with password", "AWS Credentials" …
     * @return the problem, or null when the entry can be used
     */
    @CheckForNull
    public static String problem(@CheckForNull String id, boolean found, @CheckForNull String otherKind,
                                 String usedFor, String wantedKind) {
        if (id == null || id.isBlank()) {
            return Messages.Credentials_missingId(usedFor, wantedKind);
        }
        if (found) {
            return null;
        }
        if (otherKind != null) {
            return Messages.Credentials_wrongType(id, otherKind, usedFor, wantedKind);
        }
        return Messages.Credentials_notFoundForBuild(id, usedFor);
    }
}
