package org.jenkinsci.plugins.workflow.cps;

import org.jenkinsci.plugins.workflow.steps.Step;
import org.jvnet.hudson.test.JenkinsRule;

public class SnippetizerTester {
    public SnippetizerTester(JenkinsRule r) {
        throw new UnsupportedOperationException();
    }

    public void assertRoundTrip(Step step, String expected) throws Exception {
        throw new UnsupportedOperationException();
    }

    public void assertParseStep(Step expectedStep, String script) throws Exception {
        throw new UnsupportedOperationException();
    }
}
