package hudson.model;

import edu.umd.cs.findbugs.annotations.NonNull;

public abstract class AbstractItem extends Actionable implements Item {
    @SuppressWarnings("rawtypes")
    protected AbstractItem(ItemGroup parent, String name) {
        throw new UnsupportedOperationException();
    }

    public String getDisplayName() {
        throw new UnsupportedOperationException();
    }

    @NonNull
    @Override
    public hudson.security.ACL getACL() {
        throw new UnsupportedOperationException();
    }
}
