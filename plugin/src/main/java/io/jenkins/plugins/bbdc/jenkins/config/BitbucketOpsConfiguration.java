package io.jenkins.plugins.bbdc.jenkins.config;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.ExtensionList;
import io.jenkins.plugins.bbdc.jenkins.Messages;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import jenkins.model.GlobalConfiguration;
import net.sf.json.JSONObject;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.StaplerRequest2;

/**
 * The Bitbucket Data Center instances Jenkins operates on (Manage Jenkins → System → Bitbucket Data Center
 * Operations; {@code unclassified: bitbucketOps: instances:} in configuration-as-code).
 */
@Extension
@Symbol("bitbucketOps")
public class BitbucketOpsConfiguration extends GlobalConfiguration {

    /** Replaced as a whole, never changed in place: a build reading it during a save sees the old or the new list. */
    private volatile List<BitbucketInstance> instances = new ArrayList<>();

    public BitbucketOpsConfiguration() {
        load();
    }

    public static BitbucketOpsConfiguration get() {
        return ExtensionList.lookupSingleton(BitbucketOpsConfiguration.class);
    }

    @NonNull
    @Override
    public String getDisplayName() {
        return Messages.BitbucketOpsConfiguration_displayName();
    }

    public List<BitbucketInstance> getInstances() {
        return List.copyOf(instances);
    }

    @DataBoundSetter
    public void setInstances(List<BitbucketInstance> instances) {
        List<BitbucketInstance> copy = instances == null ? new ArrayList<>() : new ArrayList<>(instances);
        String duplicate = InstanceValidation.duplicateIdProblem(copy);
        if (duplicate != null) {
            throw new IllegalArgumentException(duplicate);
        }
        this.instances = copy;
        save();
    }

    /**
     * The System page. The form is bound into a separate object and the instances replaced once, so builds reading
     * the configuration meanwhile never see it half-bound or empty. A refused submission (two instances with one id)
     * keeps the instances as they were.
     */
    @Override
    public boolean configure(StaplerRequest2 req, JSONObject json) throws FormException {
        List<BitbucketInstance> submitted;
        try {
            submitted = submitted(form -> req.bindJSON(form, json));
        } catch (RuntimeException e) {
            throw new FormException(e.getMessage(), e, "instances");
        }
        instances = submitted;
        save();
        return true;
    }

    /**
     * The instances of a submitted System page, validated; nothing is changed. A repeatable with no entry left
     * submits no {@code instances} key at all (binding only calls the setters of keys present), so the list starts
     * empty: deleting the last instance is saved too.
     *
     * @param binding binds the submitted form into the object it is given (Stapler's {@code bindJSON}; a plain
     *     function so that tests need no request)
     * @throws IllegalArgumentException when two instances have one id, or an instance cannot be bound
     */
    static List<BitbucketInstance> submitted(Consumer<SubmittedForm> binding) {
        SubmittedForm form = new SubmittedForm();
        binding.accept(form);
        String duplicate = InstanceValidation.duplicateIdProblem(form.instances);
        if (duplicate != null) {
            throw new IllegalArgumentException(duplicate);
        }
        return form.instances;
    }

    /** What the System page binds into: the instances only, nothing saved. */
    public static final class SubmittedForm {
        private List<BitbucketInstance> instances = new ArrayList<>();

        public List<BitbucketInstance> getInstances() {
            return instances;
        }

        @DataBoundSetter
        public void setInstances(List<BitbucketInstance> instances) {
            this.instances = instances == null ? new ArrayList<>() : new ArrayList<>(instances);
        }
    }

    @CheckForNull
    public BitbucketInstance findInstance(String id) {
        return find(instances, id);
    }

    /** The instance with this id, or an error listing the configured ids. */
    public BitbucketInstance requireInstance(String id) throws AbortException {
        return require(instances, id);
    }

    static BitbucketInstance find(List<BitbucketInstance> instances, String id) {
        if (id == null) {
            return null;
        }
        for (BitbucketInstance i : instances) {
            if (id.trim().equals(i.getId())) {
                return i;
            }
        }
        return null;
    }

    static BitbucketInstance require(List<BitbucketInstance> instances, String id) throws AbortException {
        BitbucketInstance found = find(instances, id);
        if (found == null) {
            String known = instances.stream().map(BitbucketInstance::getId).collect(Collectors.joining(", "));
            throw new AbortException(known.isEmpty() ? Messages.BitbucketOpsConfiguration_noInstances(id)
                    : Messages.BitbucketOpsConfiguration_unknownInstance(id, known));
        }
        return found;
    }
}
