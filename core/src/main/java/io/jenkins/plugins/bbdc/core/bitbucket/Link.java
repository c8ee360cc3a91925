package io.jenkins.plugins.bbdc.core.bitbucket;

/** A {@code {rel, href}} link as returned by {@code /rest/zdu}. */
public record Link(String rel, String href) {
}
