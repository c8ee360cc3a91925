package hudson.model;

import hudson.tasks.Builder;
import hudson.util.DescribableList;

/** Left out: the supertypes SCMTriggerItem, Saveable, ProjectWithMaven and BuildableItemWithBuildWrappers. */
public abstract class Project<P extends Project<P, B>, B extends Build<P, B>> extends AbstractProject<P, B> {
    @SuppressWarnings("rawtypes")
    protected Project(ItemGroup parent, String name) {
        super(parent, name);
    }

    public DescribableList<Builder, Descriptor<Builder>> getBuildersList() {
        throw new UnsupportedOperationException();
    }
}
