package org.jenkinsci.plugins.workflow.graph;

import hudson.model.Actionable;
import hudson.model.Saveable;

/** Stub: one node of a flow graph (its own members are left out: the plugin only adds an action to it). */
public abstract class FlowNode extends Actionable implements Saveable {
    private FlowNode() {
        throw new UnsupportedOperationException();
    }
}
