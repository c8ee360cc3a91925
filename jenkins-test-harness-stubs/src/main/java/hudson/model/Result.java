package hudson.model;

import edu.umd.cs.findbugs.annotations.NonNull;
import java.io.Serializable;

/** Left out: the supertype CustomExportedBean. Constants are null in the stub (see README). */
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

}
