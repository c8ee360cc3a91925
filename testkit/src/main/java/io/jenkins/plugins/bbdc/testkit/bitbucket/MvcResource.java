package io.jenkins.plugins.bbdc.testkit.bitbucket;

/** The /mvc maintenance and backup endpoints of section 3 as one node answers them. Caller holds the cluster monitor. */
final class MvcResource {
    private final SimCluster cluster;

    MvcResource(SimCluster cluster) {
        this.cluster = cluster;
    }

    SimResponse answer(SimRequest request, SimUsers.Auth auth) {
        String path = request.path;
        String method = request.method;
        SimResponse denied = AccessRules.sysadmin(auth, 403, AccessRules.NOT_SYSADMIN);
        boolean known = path.equals("/mvc/maintenance/lock") || path.equals("/mvc/admin/backups")
                || path.equals("/mvc/admin/backups/progress/client") || path.equals("/mvc/maintenance");
        if (!known) {
            return SimResponse.notFound(request);
        }
        if (denied != null) {
            return denied;
        }
        Maintenance maintenance = cluster.maintenance;
        switch (path) {
            case "/mvc/maintenance/lock":
                if (method.equals("POST")) {
                    return maintenance.lock();
                }
                if (method.equals("DELETE")) {
                    return maintenance.unlock(request);
                }
                break;
            case "/mvc/admin/backups":
                if (method.equals("POST")) {
                    return maintenance.startBackup(request);
                }
                break;
            case "/mvc/admin/backups/progress/client":
                if (method.equals("POST")) {
                    return maintenance.progress(request);
                }
                break;
            default:
                if (method.equals("GET")) {
                    return maintenance.poll(request);
                }
                if (method.equals("POST")) {
                    return maintenance.cancel(request);
                }
        }
        return SimResponse.methodNotAllowed(request);
    }
}
