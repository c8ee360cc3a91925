package hudson.model;

import edu.umd.cs.findbugs.annotations.NonNull;
import java.io.Serializable;

/** Stub: the build outcome (supertype {@code CustomExportedBean} left out: not relied on). */
public final class Result implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final @NonNull Result SUCCESS = null;
    public static final @NonNull Result UNSTABLE = null;
    public static final @NonNull Result FAILURE = null;
    public static final @NonNull Result NOT_BUILT = null;
    public static final @NonNull Result ABORTED = null;

    private Result() {
        throw new UnsupportedOperationException();
    }

    public boolean isWorseThan(@NonNull Result that) {
        throw new UnsupportedOperationException();
    }

    public boolean isWorseOrEqualTo(@NonNull Result that) {
        throw new UnsupportedOperationException();
    }

    @Override
    public @NonNull String toString() {
        throw new UnsupportedOperationException();
    }
}
