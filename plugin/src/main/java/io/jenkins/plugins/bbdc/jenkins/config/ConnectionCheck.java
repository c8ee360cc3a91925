package io.jenkins.plugins.bbdc.jenkins.config;

import io.jenkins.plugins.bbdc.core.bitbucket.ApplicationProperties;
import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketAdmin;
import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketException;
import io.jenkins.plugins.bbdc.core.bitbucket.ClusterInfo;
import io.jenkins.plugins.bbdc.jenkins.Messages;
import io.jenkins.plugins.bbdc.jenkins.util.BitbucketClients;
import io.jenkins.plugins.bbdc.jenkins.util.UsernamePassword;

/** "Test connection": reads the version and the cluster with the admin credentials; changes nothing. */
public final class ConnectionCheck {
    private ConnectionCheck() {
    }

    static ConnectionReport run(String url, String adminUrl, UsernamePassword credentials) {
        try {
            return check(BitbucketClients.open(url, adminUrl, credentials));
        } catch (java.io.IOException e) {
            return new ConnectionReport(false, e.getMessage());
        }
    }

    /** Checks through an already opened client (tests pass one pointed at the simulator). */
    public static ConnectionReport check(BitbucketAdmin admin) {
        try {
            ApplicationProperties props = admin.applicationProperties();
            ClusterInfo cluster = admin.adminCluster();
            return new ConnectionReport(true, Messages.ConnectionCheck_ok(props.version(), cluster.nodes().size()));
        } catch (BitbucketException e) {
            return new ConnectionReport(false, Messages.ConnectionCheck_failed(admin.baseUrl(), e.getMessage()));
        }
    }
}
