package io.jenkins.plugins.bbdc.core.provider.fs;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What an rsync backup leaves out, per kind of home (docs/providers-local.md, rsync). Patterns are anchored at the
 * root of the copied directory. Unlike Atlassian's scripts the DC and Mesh lists are not swapped, and excluded
 * repositories are honoured for the home itself.
 */
public enum RsyncExcludes {
    /** {@code BITBUCKET_HOME} of a node with the shared home at {@code <home>/shared}. */
    DC_HOME("/shared/data/repositories/", "/caches/", "/data/db.*", "/shared/data/db.*", "/search/data/",
            "/shared/search/data/", "/export/", "/shared/export/", "/log/", "/plugins/.*/", "/tmp", "/.lock",
            "/shared/.lock"),
    /** A shared home mounted on its own (the {@code shared} directory itself is the root of the copy). */
    SHARED_HOME("/data/repositories/", "/data/db.*", "/search/data/", "/export/", "/.lock"),
    /** The home of a Mesh node (its repository layout is not documented, so repository exclusion is refused). */
    MESH_HOME(null, "/caches/", "/log/", "/tmp", "/.lock");

    private static final Pattern REPOSITORY_ID = Pattern.compile("[0-9]{1,18}");

    private final String repositoriesRoot;
    private final List<String> patterns;

    RsyncExcludes(String repositoriesRoot, String... patterns) {
        this.repositoriesRoot = repositoriesRoot;
        this.patterns = List.of(patterns);
    }

    public List<String> patterns() {
        return patterns;
    }

    /** The {@code --exclude=} arguments for this layout plus the user's excluded repository ids. */
    public List<String> arguments(Collection<String> excludedRepositoryIds) {
        List<String> args = new ArrayList<>();
        patterns.forEach(p -> args.add("--exclude=" + p));
        for (String id : excludedRepositoryIds) {
            args.add("--exclude=" + repositoriesRoot + id);
        }
        return args;
    }

    /** Refuses ids that are not repository ids (the directory names are {@code repository.id}). */
    public void validate(Collection<String> excludedRepositoryIds) {
        if (!excludedRepositoryIds.isEmpty() && repositoriesRoot == null) {
            throw new IllegalArgumentException("rsync: excluding repositories is not supported for " + this
                    + " (the repository layout of a Mesh home is not documented); remove excludedRepositories");
        }
        for (String id : excludedRepositoryIds) {
            if (id == null || !REPOSITORY_ID.matcher(id).matches()) {
                throw new IllegalArgumentException("rsync: excluded repository '" + id + "' is not a repository id "
                        + "(the number in shared/data/repositories/<id>, the 'id' column of the 'repository' table)");
            }
        }
    }
}
