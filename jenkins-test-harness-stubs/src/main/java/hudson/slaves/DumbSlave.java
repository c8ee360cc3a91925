package hudson.slaves;

/** Left out: the supertype Slave (and Node) and every member; tests only hold the agent JenkinsRule returns. */
public final class DumbSlave {
    private DumbSlave() {
        throw new UnsupportedOperationException();
    }
}
