package hudson;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.remoting.VirtualChannel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

public abstract class Launcher {
    private Launcher() {
        throw new UnsupportedOperationException();
    }

    @NonNull
    public final ProcStarter launch() {
        throw new UnsupportedOperationException();
    }

    public boolean isUnix() {
        throw new UnsupportedOperationException();
    }

    @CheckForNull
    public VirtualChannel getChannel() {
        throw new UnsupportedOperationException();
    }

    public abstract Proc launch(@NonNull ProcStarter starter) throws IOException;

    public final class ProcStarter {
        private ProcStarter() {
            throw new UnsupportedOperationException();
        }

        public ProcStarter cmds(List<String> args) {
            throw new UnsupportedOperationException();
        }

        public ProcStarter masks(@CheckForNull boolean... masks) {
            throw new UnsupportedOperationException();
        }

        public ProcStarter quiet(boolean quiet) {
            throw new UnsupportedOperationException();
        }

        public ProcStarter pwd(@NonNull String workDir) {
            throw new UnsupportedOperationException();
        }

        public ProcStarter stdout(@CheckForNull OutputStream out) {
            throw new UnsupportedOperationException();
        }

        public ProcStarter stderr(@CheckForNull OutputStream err) {
            throw new UnsupportedOperationException();
        }

        @NonNull
        public ProcStarter stdin(@CheckForNull InputStream in) {
            throw new UnsupportedOperationException();
        }

        public ProcStarter envs(@NonNull Map<String, String> overrides) {
            throw new UnsupportedOperationException();
        }

        public Proc start() throws IOException {
            throw new UnsupportedOperationException();
        }

        public int join() throws IOException, InterruptedException {
            throw new UnsupportedOperationException();
        }
    }
}
