package io.jenkins.plugins.bbdc.jenkins.util;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.model.Item;
import jenkins.model.Jenkins;

/** {@link FormAccess.Grants} of the current user, in the context of a job (or of Jenkins itself when null). */
public final class JenkinsGrants implements FormAccess.Grants {
    private final Item item;

    private JenkinsGrants(@CheckForNull Item item) {
        this.item = item;
    }

    public static JenkinsGrants of(@CheckForNull Item item) {
        return new JenkinsGrants(item);
    }

    @Override
    public boolean has(FormAccess.Need need) {
        switch (need) {
            case ADMINISTER:
                return Jenkins.get().hasPermission(Jenkins.ADMINISTER);
            case ITEM_CONFIGURE:
                return item != null && item.hasPermission(Item.CONFIGURE);
            case ITEM_EXTENDED_READ:
                return item != null && item.hasPermission(Item.EXTENDED_READ);
            case ITEM_USE_CREDENTIALS:
                return item != null && item.hasPermission(CredentialsProvider.USE_ITEM);
            default:
                return false;
        }
    }
}
