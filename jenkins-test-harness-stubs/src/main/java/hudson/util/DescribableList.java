package hudson.util;

import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.model.Saveable;

public class DescribableList<T extends Describable<T>, D extends Descriptor<T>> extends PersistedList<T> {
    public DescribableList(Saveable owner) {
        super(owner);
    }

    public <U extends T> U get(Class<U> type) {
        throw new UnsupportedOperationException();
    }
}
