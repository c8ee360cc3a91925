package hudson.model;

import java.io.IOException;

public abstract class Build<P extends Project<P, B>, B extends Build<P, B>> extends AbstractBuild<P, B> {
    protected Build(P project) throws IOException {
        super(project);
    }
}
