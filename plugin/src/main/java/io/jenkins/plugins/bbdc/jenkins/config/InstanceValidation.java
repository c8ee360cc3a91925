package io.jenkins.plugins.bbdc.jenkins.config;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import io.jenkins.plugins.bbdc.jenkins.Messages;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules a Bitbucket instance's settings must follow, as plain functions returning the problem (or null), so
 * the form, configuration-as-code and the steps all say the same thing.
 */
public final class InstanceValidation {
    /** Ids end up in snapshot names and tags: letters, digits, dot, dash, underscore. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private InstanceValidation() {
    }

    @CheckForNull
    public static String idProblem(@CheckForNull String id) {
        if (id == null || id.isBlank()) {
            return Messages.Validation_required(Messages.BitbucketInstance_id());
        }
        if (!ID.matcher(id.trim()).matches()) {
            return Messages.BitbucketInstance_badId(id.trim());
        }
        return null;
    }

    @CheckForNull
    public static String urlProblem(@CheckForNull String url, String what) {
        if (url == null || url.isBlank()) {
            return Messages.Validation_required(what);
        }
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            return Messages.BitbucketInstance_badUrl(what, url.trim());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            return Messages.BitbucketInstance_badUrl(what, url.trim());
        }
        if (uri.getQuery() != null || uri.getFragment() != null || uri.getUserInfo() != null) {
            return Messages.BitbucketInstance_urlExtras(what);
        }
        return null;
    }

    /** Node URLs, one per line; blank lines ignored. */
    public static List<String> nodeUrlProblems(@CheckForNull String nodeUrls) {
        List<String> problems = new ArrayList<>();
        for (String line : lines(nodeUrls)) {
            String p = urlProblem(line, Messages.BitbucketInstance_nodeUrl());
            if (p != null) {
                problems.add(p);
            }
        }
        return problems;
    }

    @CheckForNull
    public static String duplicateIdProblem(List<BitbucketInstance> instances) {
        Set<String> seen = new HashSet<>();
        for (BitbucketInstance i : instances) {
            if (i.getId() != null && !seen.add(i.getId())) {
                return Messages.BitbucketOpsConfiguration_duplicateId(i.getId());
            }
        }
        return null;
    }

    /** The non-blank lines of a multi-line setting, trimmed. */
    public static List<String> lines(@CheckForNull String text) {
        List<String> out = new ArrayList<>();
        if (text != null) {
            for (String line : text.split("\\R")) {
                if (!line.isBlank()) {
                    out.add(line.trim());
                }
            }
        }
        return out;
    }
}
