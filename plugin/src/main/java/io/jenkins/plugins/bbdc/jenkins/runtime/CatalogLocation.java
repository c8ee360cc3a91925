package io.jenkins.plugins.bbdc.jenkins.runtime;

import io.jenkins.plugins.bbdc.jenkins.config.BitbucketInstance;
import java.nio.file.Path;
import jenkins.model.Jenkins;

/** Where restore point manifests live: the instance's catalog directory, else {@code $JENKINS_HOME/bitbucket-dc-ops}. */
public final class CatalogLocation {
    private CatalogLocation() {
    }

    public static Path root(BitbucketInstance instance) {
        if (instance.getCatalogDirectory() != null) {
            return Path.of(instance.getCatalogDirectory());
        }
        return Jenkins.get().getRootDir().toPath().resolve("bitbucket-dc-ops");
    }
}
