package io.jenkins.plugins.bbdc.testkit.bitbucket;

import java.util.Locale;

/** Authentication, authorisation and XSRF answers of section 2, shared by every endpoint. */
final class AccessRules {
    static final String BAD_CREDENTIALS = "Authentication failed. Please check your credentials and try again.";
    static final String NOT_LOGGED_IN = "Authentication required: you are not permitted to access this resource "
            + "anonymously. Log in with a system administrator account (HTTP Basic).";
    static final String TOKEN_ON_ADMIN = "Access tokens (Bearer) are not accepted on Bitbucket Data Center admin "
            + "endpoints: admin endpoints need Basic authentication with a system administrator account.";
    static final String NOT_SYSADMIN = "You are not permitted to access this resource: it requires the "
            + "System Administrator (SYS_ADMIN) permission.";
    static final String CLUSTER_INFO_DENIED = "You have insufficient permissions to retrieve the cluster "
            + "information (SYS_ADMIN is required).";
    static final String NOT_CLUSTERED = "Rolling upgrades feature requires a clustered installation.";
    static final String XSRF_FAILED = "XSRF check failed: send the header 'X-Atlassian-Token: no-check' or "
            + "Content-Type: application/json with this request.";

    private AccessRules() {
    }

    /** Anonymous access allowed, but credentials that were sent must be valid. Null when allowed. */
    static SimResponse anyone(SimUsers.Auth auth) {
        return auth.failed() ? SimResponse.error(401, BAD_CREDENTIALS) : null;
    }

    /**
     * A system administrator with Basic credentials; {@code deniedStatus} is what a logged-in non-sysadmin gets
     * (403, or 401 for admin/cluster). Null when allowed.
     */
    static SimResponse sysadmin(SimUsers.Auth auth, int deniedStatus, String deniedMessage) {
        if (auth.scheme() == SimUsers.Scheme.TOKEN) {
            return SimResponse.error(401, TOKEN_ON_ADMIN);
        }
        if (auth.scheme() == SimUsers.Scheme.NONE) {
            return SimResponse.error(401, NOT_LOGGED_IN);
        }
        if (auth.failed()) {
            return SimResponse.error(401, BAD_CREDENTIALS);
        }
        if (!auth.user().sysadmin()) {
            return SimResponse.error(deniedStatus, deniedMessage);
        }
        return null;
    }

    /** The XsrfResourceFilter rule of 2.3 for a mutating /rest call. Null when the request passes. */
    static SimResponse xsrf(SimRequest request, boolean enforced) {
        if (!enforced || !request.isMutating()) {
            return null;
        }
        String token = request.header("X-Atlassian-Token");
        if ("no-check".equals(token) || "nocheck".equals(token)) {
            return null;
        }
        String contentType = request.header("Content-Type");
        String mime = contentType == null ? null : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        boolean xsrfable = mime == null || mime.isEmpty() || mime.equals("application/x-www-form-urlencoded")
                || mime.equals("multipart/form-data") || mime.equals("text/plain");
        return xsrfable ? SimResponse.error(403, XSRF_FAILED) : null;
    }

    /** 415 when a body-less JSON resource receives a declared non-JSON content type. Null otherwise. */
    static SimResponse jsonOnly(SimRequest request) {
        String contentType = request.header("Content-Type");
        if (contentType == null || contentType.isBlank()) {
            return null;
        }
        String mime = contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        return mime.equals("application/json") ? null
                : SimResponse.error(415, "Unsupported Content-Type " + mime + "; use application/json.");
    }
}
