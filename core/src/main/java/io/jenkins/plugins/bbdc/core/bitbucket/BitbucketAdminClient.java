package io.jenkins.plugins.bbdc.core.bitbucket;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketException.Kind;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import okhttp3.HttpUrl;

/**
 * {@link BitbucketAdmin} over OkHttp, speaking shared/docs/bitbucket-admin-api.md: Basic auth with a sysadmin (Bearer
 * optional), the contract's headers on every call, explicit timeouts, retries for reads only, typed lenient results
 * and human errors that never contain a secret. Thread-safe.
 *
 * <p>The {@code /mvc} maintenance calls go to {@link BitbucketClientOptions#adminUrl()} (one node, bypassing the load
 * balancer), everything else to {@link BitbucketClientOptions#baseUrl()}. Rolling-upgrade actions follow the
 * {@code links} of {@code GET /rest/zdu/cluster}; credentials are only ever sent to the configured hosts, so a link
 * to another host is re-targeted onto the base URL.
 */
public final class BitbucketAdminClient implements BitbucketAdmin {
    private static final Logger LOG = Logger.getLogger(BitbucketAdminClient.class.getName());
    /** Unknown enum values already reported, so each is logged once per JVM. */
    private static final Set<String> REPORTED_UNKNOWN = ConcurrentHashMap.newKeySet();

    private final BitbucketClientOptions options;
    private final BitbucketHttp http;
    private final HttpUrl base;
    private final HttpUrl admin;

    public BitbucketAdminClient(BitbucketClientOptions options) {
        this.options = options;
        this.http = new BitbucketHttp(options);
        this.base = HttpUrl.get(options.baseUrl().toString());
        this.admin = HttpUrl.get(options.adminUrl().toString());
    }

    public BitbucketClientOptions options() {
        return options;
    }

    @Override
    public URI baseUrl() {
        return options.baseUrl();
    }

    /** Where the {@code /mvc} maintenance calls go (the base URL unless an admin URL is configured). */
    public URI adminUrl() {
        return options.adminUrl();
    }

    // --- maintenance lock and external backup (/mvc) ---

    @Override
    public MaintenanceLock lock() throws BitbucketException {
        HttpCall call = HttpCall.post(onAdmin("mvc/maintenance/lock"), "take the maintenance lock")
                .hint(409, "The maintenance lock is already held: another backup or an administrator has locked"
                        + " Bitbucket. Wait until it is released, or find out who holds it.");
        HttpReply reply = http.send(call);
        JsonNode body = http.json(reply);
        String token = BitbucketJson.unlockToken(body);
        if (token == null || token.isBlank()) {
            throw http.errors().missingMember(reply, "unlockToken", " Bitbucket may now be in maintenance mode without"
                    + " a token this tool can use to unlock it: check the nodes' /status (MAINTENANCE means locked)"
                    + " and Bitbucket's administration pages.");
        }
        return new MaintenanceLock(token);
    }

    @Override
    public String startExternalBackup(MaintenanceLock lock) throws BitbucketException {
        HttpCall call = HttpCall.post(onAdmin("mvc/admin/backups").newBuilder()
                        .addQueryParameter("external", "true").build(), "start the external backup (drain)")
                .withMaintenanceToken(requireLock(lock));
        HttpReply reply = http.send(call);
        JsonNode body = http.json(reply);
        String cancelToken = BitbucketJson.cancelToken(body);
        if (cancelToken == null || cancelToken.isBlank()) {
            throw http.errors().missingMember(reply, "cancelToken", " Without it the backup cannot be cancelled;"
                    + " release the maintenance lock and try again.");
        }
        return cancelToken;
    }

    @Override
    public MaintenanceStatus maintenanceStatus(MaintenanceLock lock) throws BitbucketException {
        HttpCall call = HttpCall.get(onAdmin("mvc/maintenance"), "read the maintenance (drain) state")
                .withMaintenanceToken(requireLock(lock));
        return BitbucketJson.maintenanceStatus(http.json(call));
    }

    @Override
    public void reportProgress(MaintenanceLock lock, int percentage) throws BitbucketException {
        if (percentage < 0 || percentage > 100) {
            throw new IllegalArgumentException("backup progress is a percentage from 0 to 100, got " + percentage);
        }
        HttpUrl url = onAdmin("mvc/admin/backups/progress/client").newBuilder()
                .addQueryParameter("token", requireLock(lock))
                .addQueryParameter("percentage", Integer.toString(percentage)).build();
        http.noContent(HttpCall.post(url, "report backup progress (" + percentage + " %)"));
    }

    @Override
    public void cancelBackup(String cancelToken) throws BitbucketException {
        if (cancelToken == null || cancelToken.isBlank()) {
            throw new IllegalArgumentException("no cancel token: it is returned by startExternalBackup");
        }
        onEachMaintenanceUrl("tell Bitbucket the external backup was abandoned", root -> HttpCall.post(
                on(root, "mvc/maintenance").newBuilder().addQueryParameter("token", cancelToken).build(),
                "tell Bitbucket the external backup was abandoned"), false);
    }

    @Override
    public void unlock(MaintenanceLock lock) throws BitbucketException {
        String token = requireLock(lock);
        onEachMaintenanceUrl("release the maintenance lock", root -> HttpCall.delete(
                on(root, "mvc/maintenance/lock").newBuilder().addQueryParameter("token", token).build(),
                "release the maintenance lock"), true);
    }

    @Override
    public List<URI> maintenanceUrls() {
        return options.maintenanceUrls();
    }

    /**
     * Sends the call to each maintenance URL in turn until one accepts it; throws with every URL's failure when none
     * does. With {@code goneIfNotInMaintenance}, a refused token while no node says {@code MAINTENANCE} any more
     * means the lock is already released.
     */
    private void onEachMaintenanceUrl(String purpose, Function<HttpUrl, HttpCall> call,
                                      boolean goneIfNotInMaintenance) throws BitbucketException {
        List<URI> urls = options.maintenanceUrls();
        List<String> failures = new ArrayList<>();
        BitbucketException last = null;
        boolean tokenRefused = false;
        for (URI url : urls) {
            try {
                http.noContent(call.apply(HttpUrl.get(url.toString())));
                if (!failures.isEmpty()) {
                    LOG.log(Level.INFO, "{0}: done at {1} after {2} failed URL(s)", new Object[] {purpose, url,
                            failures.size()});
                }
                return;
            } catch (BitbucketException e) {
                failures.add(e.getMessage());
                last = e;
                tokenRefused |= e.httpStatus() == 401;
            }
        }
        if (goneIfNotInMaintenance && tokenRefused && notInMaintenance(urls)) {
            LOG.log(Level.INFO, "{0}: the token was refused and Bitbucket is no longer in maintenance mode; the lock"
                    + " is already released", purpose);
            return;
        }
        throw new BitbucketException(last.kind(), last.httpStatus(), urls.size() == 1 ? last.getMessage()
                : "Could not " + purpose + " at any of the " + urls.size() + " URLs tried (" + urls + "): "
                + String.join(" | ", failures));
    }

    /** True when one of the URLs answers {@code /status} with {@code RUNNING} (maintenance is cluster-wide). */
    private boolean notInMaintenance(List<URI> urls) {
        for (URI url : urls) {
            if ("RUNNING".equals(nodeStatus(url).state())) {
                return true;
            }
        }
        return false;
    }

    // --- product and cluster ---

    @Override
    public ApplicationProperties applicationProperties() throws BitbucketException {
        HttpReply reply = http.send(HttpCall.get(onBase("rest/api/1.0/application-properties"),
                "read Bitbucket's version (application properties)"));
        ApplicationProperties props = BitbucketJson.applicationProperties(http.json(reply));
        if (props.version() == null) {
            throw http.errors().missingMember(reply, "version", " Check that the URL points at Bitbucket.");
        }
        return props;
    }

    @Override
    public ClusterInfo adminCluster() throws BitbucketException {
        return BitbucketJson.clusterInfo(http.json(HttpCall.get(onBase("rest/api/latest/admin/cluster"),
                "read the cluster membership")));
    }

    @Override
    public NodeStatus nodeStatus(URI nodeUrl) {
        HttpUrl url = nodeUrl == null ? null : HttpUrl.parse(stripSlash(nodeUrl.toString()) + "/status");
        if (url == null) {
            return new NodeStatus(nodeUrl, 0, null, "'" + nodeUrl + "' is not an http(s) URL of a Bitbucket node");
        }
        HttpCall call = HttpCall.get(url, "read the node's /status").unauthenticated();
        try {
            HttpReply reply = http.once(call);
            String state = reply.json() == null ? null : BitbucketJson.statusState(reply.json());
            String error = null;
            if (state == null) {
                error = "HTTP " + reply.status() + " from " + call.describe() + (reply.html()
                        ? " is an HTML page, not Bitbucket's {\"state\":…} (a proxy in front of the node?)"
                        : " carries no state");
            } else {
                reportUnknown("node /status state", state, ApplicationState.parse(state) == ApplicationState.UNKNOWN);
            }
            return new NodeStatus(nodeUrl, reply.status(), state, error);
        } catch (IOException e) {
            return new NodeStatus(nodeUrl, 0, null, http.errors().fromIo(call, e, 1, true).getMessage());
        } catch (RuntimeException e) {
            return new NodeStatus(nodeUrl, 0, null, "no answer from " + call.describe() + ": "
                    + e.getClass().getSimpleName());
        }
    }

    @Override
    public List<MeshNode> meshNodes() throws BitbucketException {
        List<MeshNode> all = new ArrayList<>();
        HttpUrl url = onBase("rest/api/latest/admin/git/mesh/nodes");
        // follows Bitbucket's paging when the list comes in the paged envelope; a bare array is the whole list
        for (int page = 0; page < 1000; page++) {
            HttpReply reply = http.send(HttpCall.get(url, "list the Mesh nodes"));
            JsonNode body = http.json(reply);
            if (!BitbucketJson.isMeshList(body)) {
                throw http.errors().missingMember(reply, "values", " Expected a list of Mesh nodes.");
            }
            all.addAll(BitbucketJson.meshNodes(body));
            JsonNode next = body.path("nextPageStart");
            if (body.isArray() || body.path("isLastPage").asBoolean(true) || !next.canConvertToInt()) {
                break;
            }
            url = url.newBuilder().setQueryParameter("start", Integer.toString(next.asInt())).build();
        }
        return all;
    }

    @Override
    public MeshNode meshNode(String id) throws BitbucketException {
        requireId(id, "Mesh node id");
        HttpCall call = HttpCall.get(onBase("rest/api/latest/admin/git/mesh/nodes").newBuilder().addPathSegment(id)
                .build(), "read Mesh node " + id)
                .hint(404, "Bitbucket has no Mesh node with id '" + id + "'; the ids are listed by the Mesh nodes"
                        + " admin page or GET /rest/api/latest/admin/git/mesh/nodes.");
        return BitbucketJson.meshNode(http.json(call));
    }

    // --- rolling upgrade (/rest/zdu) ---

    @Override
    public ZduCluster zduCluster() throws BitbucketException {
        return reportUnknown(BitbucketJson.zduCluster(http.json(HttpCall.get(onBase("rest/zdu/cluster"),
                "read the rolling-upgrade cluster"))));
    }

    @Override
    public ZduStateResponse zduState() throws BitbucketException {
        ZduStateResponse r = BitbucketJson.zduState(http.json(HttpCall.get(onBase("rest/zdu/state"),
                "read the rolling-upgrade state")));
        reportUnknown("rolling-upgrade cluster state", r.state(), r.clusterState() == ClusterState.UNKNOWN);
        if (r.buildInfo() != null) {
            reportUnknown(r.buildInfo());
        }
        return r;
    }

    @Override
    public ZduNode zduNode(String nodeId) throws BitbucketException {
        requireId(nodeId, "cluster node id");
        HttpCall call = HttpCall.get(onBase("rest/zdu/nodes").newBuilder().addPathSegment(nodeId).build(),
                        "read rolling-upgrade node " + nodeId)
                .hint(404, "Bitbucket has no cluster node with id '" + nodeId + "'; the ids are listed by"
                        + " GET /rest/zdu/cluster.");
        return reportUnknown(BitbucketJson.zduNode(http.json(call)));
    }

    @Override
    public ZduCluster startUpgradeMode() throws BitbucketException {
        return transition(ZduAction.START);
    }

    @Override
    public ZduCluster cancelUpgradeMode() throws BitbucketException {
        return transition(ZduAction.CANCEL);
    }

    @Override
    public ZduCluster approveUpgrade() throws BitbucketException {
        return transition(ZduAction.APPROVE);
    }

    @Override
    public ZduCluster retryUpgrade() throws BitbucketException {
        return transition(ZduAction.RETRY);
    }

    /**
     * Rules 4 and 5: read the cluster; if it already is where the action leads, that is success; otherwise call the
     * action's link (the fixed path only when the cluster has no links at all); a 409 re-reads the cluster and either
     * succeeds by the same rule or names the state it is in. Never retried.
     */
    private ZduCluster transition(ZduAction action) throws BitbucketException {
        ZduCluster before = zduCluster();
        if (action.alreadyDone(before)) {
            LOG.log(Level.FINE, "{0}: the cluster already is {1}; nothing to do", new Object[] {action.rel,
                    before.state()});
            return before;
        }
        HttpUrl target;
        if (before.links().isEmpty()) {
            target = onBase(action.fallbackPath());
        } else {
            String href = before.link(action.rel).orElse(null);
            if (href == null) {
                throw new BitbucketException(Kind.CONFLICT, 0, action.refusal(before) + " (Bitbucket does not offer"
                        + " '" + action.rel + "' in this state.)");
            }
            target = followable(href, action);
        }
        HttpCall call = HttpCall.post(target, action.purpose);
        HttpReply reply = http.send(call);
        if (reply.status() == 409) {
            ZduCluster now = zduCluster();
            if (action.alreadyDone(now)) {
                return now;
            }
            throw new BitbucketException(Kind.CONFLICT, 409, action.refusal(now) + " (HTTP 409 from "
                    + call.describe() + ")");
        }
        if (reply.status() >= 500) {
            BitbucketException failure = http.errors().fromReply(reply);
            String now;
            try {
                now = " The cluster is now " + ZduAction.describe(zduCluster()) + ".";
            } catch (BitbucketException e) {
                now = " Reading the cluster state afterwards failed too.";
            }
            throw new BitbucketException(failure.kind(), failure.httpStatus(), failure.getMessage() + now);
        }
        return reportUnknown(BitbucketJson.zduCluster(http.json(reply)));
    }

    /** The link's URL when it points at a configured host; otherwise its path on the base URL (never leak credentials). */
    private HttpUrl followable(String href, ZduAction action) throws BitbucketException {
        HttpUrl url = base.resolve(href);
        if (url == null) {
            throw new BitbucketException(Kind.UNEXPECTED_RESPONSE, 0, "Cannot " + action.purpose + ": Bitbucket's '"
                    + action.rel + "' link is not a URL. Check Bitbucket's base URL setting.");
        }
        if (sameOrigin(url, base) || sameOrigin(url, admin)) {
            return url;
        }
        LOG.log(Level.FINE, "the {0} link points at {1}, not a configured host; calling its path on {2}",
                new Object[] {action.rel, url.host(), base.host()});
        return base.newBuilder().encodedPath(url.encodedPath()).encodedQuery(url.encodedQuery()).build();
    }

    private static boolean sameOrigin(HttpUrl a, HttpUrl b) {
        return a.scheme().equals(b.scheme()) && a.host().equalsIgnoreCase(b.host()) && a.port() == b.port();
    }

    private ZduCluster reportUnknown(ZduCluster c) {
        reportUnknown("rolling-upgrade cluster state", c.state(), c.clusterState() == ClusterState.UNKNOWN);
        c.nodes().forEach(this::reportUnknown);
        return c;
    }

    private ZduNode reportUnknown(ZduNode n) {
        reportUnknown("rolling-upgrade node state", n.state(), n.nodeState() == NodeState.UNKNOWN);
        return n;
    }

    /** Rule 7: an unknown enum value is reported (once), never thrown. */
    private static void reportUnknown(String what, String raw, boolean unknown) {
        if (unknown && raw != null && REPORTED_UNKNOWN.add(what + "=" + raw)) {
            LOG.warning("Bitbucket reported an unknown " + what + " '" + Redaction.text(raw, List.of())
                    + "'; it is treated as UNKNOWN");
        }
    }

    private HttpUrl onBase(String path) {
        return base.newBuilder().addPathSegments(path).build();
    }

    private HttpUrl onAdmin(String path) {
        return on(admin, path);
    }

    private static HttpUrl on(HttpUrl root, String path) {
        return root.newBuilder().addPathSegments(path).build();
    }

    private static String requireLock(MaintenanceLock lock) {
        if (lock == null || lock.unlockToken() == null || lock.unlockToken().isBlank()) {
            throw new IllegalArgumentException("no maintenance lock: take it with lock() first");
        }
        return lock.unlockToken();
    }

    private static void requireId(String id, String what) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("no " + what + " given");
        }
    }

    private static String stripSlash(String s) {
        String out = s;
        while (out.endsWith("/")) {
            out = out.substring(0, out.length() - 1);
        }
        return out;
    }
}
