package hudson.init;

public enum TermMilestone {
    STARTED,
    COMPLETED;

    @Override
    public String toString() {
        throw new UnsupportedOperationException();
    }
}
