package hudson.model;

public class FreeStyleProject extends Project<FreeStyleProject, FreeStyleBuild> implements TopLevelItem {
    @SuppressWarnings("rawtypes")
    public FreeStyleProject(ItemGroup parent, String name) {
        super(parent, name);
    }
}
