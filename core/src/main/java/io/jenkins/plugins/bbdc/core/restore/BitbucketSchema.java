package io.jenkins.plugins.bbdc.core.restore;

/**
 * Where Bitbucket keeps what the verifier reads (bitbucket-data-layout.md §2). Several names are unconfirmed on a
 * real instance, so every table and column name lives here, in one place, and can be overridden.
 */
public record BitbucketSchema(String repositoryTable, String repositoryId, String repositorySlug,
                              String repositoryProjectId, String projectTable, String projectId, String projectKey,
                              String appPropertyTable, String propKey, String propValue, String changelogTable,
                              String changelogLockTable) {

    public static BitbucketSchema defaults() {
        return new BitbucketSchema("repository", "id", "slug", "project_id", "project", "id", "project_key",
                "app_property", "prop_key", "prop_value", "databasechangelog", "databasechangeloglock");
    }
}
