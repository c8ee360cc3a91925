package hudson.model;

public abstract class AbstractItem extends Actionable implements Item {
    @SuppressWarnings("rawtypes")
    protected AbstractItem(ItemGroup parent, String name) {
        throw new UnsupportedOperationException();
    }
}
