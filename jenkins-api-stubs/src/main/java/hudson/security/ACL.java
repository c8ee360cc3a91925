package hudson.security;

import edu.umd.cs.findbugs.annotations.NonNull;
import org.springframework.security.core.Authentication;

public abstract class ACL {
    /** Real value: the SYSTEM user's token; null in the stub (no class initialisation may fail). */
    public static final Authentication SYSTEM2 = null;

    @NonNull
    public static ACLContext as2(@NonNull Authentication auth) {
        throw new UnsupportedOperationException();
    }
}
