package hudson.model;

public class Queue {
    private Queue() {
        throw new UnsupportedOperationException();
    }

    public interface Task extends ModelObject {
    }

    public interface Executable {
    }
}
