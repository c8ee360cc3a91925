package hudson;

import hudson.model.TaskListener;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

public abstract class Proc {
    protected Proc() {
        throw new UnsupportedOperationException();
    }

    public abstract boolean isAlive() throws IOException, InterruptedException;

    public abstract void kill() throws IOException, InterruptedException;

    public abstract int join() throws IOException, InterruptedException;

    public final int joinWithTimeout(final long timeout, final TimeUnit unit,
                                     final TaskListener listener) throws IOException, InterruptedException {
        throw new UnsupportedOperationException();
    }
}
