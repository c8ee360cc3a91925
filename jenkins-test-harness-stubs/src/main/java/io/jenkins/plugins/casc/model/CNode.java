package io.jenkins.plugins.casc.model;

/** Left out: the abstract members (the tests never implement this interface). */
public interface CNode extends Cloneable {
}
