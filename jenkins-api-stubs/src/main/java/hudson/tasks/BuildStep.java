package hudson.tasks;

public interface BuildStep {
    BuildStepMonitor getRequiredMonitorService();
}
