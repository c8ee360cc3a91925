package io.jenkins.plugins.bbdc.core.backup;

import java.net.URI;
import java.util.List;

/**
 * What to tell a person when Bitbucket stays locked by a backup of this tool: the exact request that releases the
 * lock, with the token read from where it is stored (never printed).
 */
final class ManualUnlock {
    private ManualUnlock() {
    }

    static String instructions(String restorePointId, List<URI> urls, String tokenExpression) {
        StringBuilder where = new StringBuilder();
        for (URI url : urls) {
            where.append(where.length() == 0 ? "" : ", ").append(url);
        }
        return "Bitbucket is STILL LOCKED for maintenance by backup " + restorePointId + " of this tool. The next"
                + " backup retries the unlock first and starts nothing new until it succeeds. To release it by hand,"
                + " send DELETE <url>/mvc/maintenance/lock?token=<unlock token> with the headers Authorization (Basic,"
                + " a Bitbucket system administrator) and Accept: application/json to one of " + where + " (a node's"
                + " own URL works when the load balancer refuses), for example: curl -u ADMIN -X DELETE -H 'Accept:"
                + " application/json' \"" + urls.get(urls.size() - 1) + "/mvc/maintenance/lock?token="
                + tokenExpression + "\" — the unlock token is " + tokenExpression + "; then run the backup again";
    }
}
