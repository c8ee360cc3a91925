package hudson.model;

public abstract class AbstractProject<P extends AbstractProject<P, R>, R extends AbstractBuild<P, R>> extends Job<P, R> {
    @SuppressWarnings("rawtypes")
    protected AbstractProject(ItemGroup parent, String name) {
        super(parent, name);
    }

    public void setAssignedNode(Node l) throws java.io.IOException {
        throw new UnsupportedOperationException();
    }
}
