package hudson.model;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.ExtensionPoint;
import hudson.security.AccessControlled;
import java.io.IOException;
import org.springframework.security.access.AccessDeniedException;

public abstract class Run<JobT extends Job<JobT, RunT>, RunT extends Run<JobT, RunT>>
        extends Actionable implements ExtensionPoint, Comparable<RunT>, AccessControlled {

    protected Run(@NonNull JobT job) throws IOException {
        throw new UnsupportedOperationException();
    }

    public @NonNull JobT getParent() {
        throw new UnsupportedOperationException();
    }

    public String getFullDisplayName() {
        throw new UnsupportedOperationException();
    }

    public int getNumber() {
        throw new UnsupportedOperationException();
    }

    public @NonNull String getUrl() {
        throw new UnsupportedOperationException();
    }

    public @NonNull java.io.File getRootDir() {
        throw new UnsupportedOperationException();
    }

    public int compareTo(@NonNull RunT that) {
        throw new UnsupportedOperationException();
    }

    @NonNull
    @Override
    public hudson.security.ACL getACL() {
        throw new UnsupportedOperationException();
    }

    public @CheckForNull Result getResult() {
        throw new UnsupportedOperationException();
    }

    public void setResult(@NonNull Result r) {
        throw new UnsupportedOperationException();
    }

    public @NonNull String getExternalizableId() {
        throw new UnsupportedOperationException();
    }

    public @CheckForNull static Run<?, ?> fromExternalizableId(String id)
            throws IllegalArgumentException, AccessDeniedException {
        throw new UnsupportedOperationException();
    }
}
