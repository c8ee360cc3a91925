package io.jenkins.plugins.casc.misc;

import org.jvnet.hudson.test.JenkinsRule;

/** Left out: the real direct superclass JenkinsConfiguredRule (a JenkinsRule). */
public class JenkinsConfiguredWithCodeRule extends JenkinsRule {
}
