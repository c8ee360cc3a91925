package hudson.util;

import hudson.model.Saveable;
import java.util.AbstractList;

public class PersistedList<T> extends AbstractList<T> {
    public PersistedList(Saveable owner) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean add(T item) {
        throw new UnsupportedOperationException();
    }

    @Override
    public T get(int index) {
        throw new UnsupportedOperationException();
    }

    @Override
    public int size() {
        throw new UnsupportedOperationException();
    }
}
