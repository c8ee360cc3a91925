package hudson.slaves;

import hudson.model.Node;

/** Left out: the direct superclass Slave (its superclass Node is kept) and every member. */
public final class DumbSlave extends Node {
    private DumbSlave() {
        throw new UnsupportedOperationException();
    }
}
