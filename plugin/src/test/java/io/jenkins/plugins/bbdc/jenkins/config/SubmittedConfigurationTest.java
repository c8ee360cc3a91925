package io.jenkins.plugins.bbdc.jenkins.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import net.sf.json.JSONObject;
import org.junit.jupiter.api.Test;
import org.kohsuke.stapler.StaplerRequest2;

/**
 * The System page is bound into its own object and validated before the configuration changes, so a build reading
 * the instances during a save never sees an empty or half-bound list.
 */
class SubmittedConfigurationTest {

    /** Binds as Stapler does: the {@code instances} setter is called only when the form has the key. */
    private static final class Form implements StaplerRequest2 {
        final List<BitbucketInstance> instances;
        final List<Object> boundInto = new ArrayList<>();

        Form(List<BitbucketInstance> instances) {
            this.instances = instances;
        }

        @Override
        public void bindJSON(Object bean, JSONObject src) {
            boundInto.add(bean);
            if (instances == null) {
                return;
            }
            try {
                bean.getClass().getMethod("setInstances", List.class).invoke(bean, instances);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void theFormIsBoundIntoItsOwnObject() {
        BitbucketInstance prod = new BitbucketInstance("prod", "https://bitbucket.example.com", "bb-admin");
        BitbucketInstance qa = new BitbucketInstance("qa", "https://qa.example.com", "bb-admin");
        Form form = new Form(List.of(prod, qa));
        assertThat(BitbucketOpsConfiguration.submitted(form, null)).containsExactly(prod, qa);
        assertThat(form.boundInto).singleElement().isInstanceOf(BitbucketOpsConfiguration.SubmittedForm.class);
    }

    @Test
    void aFormWithoutInstancesDeletesThemAll() {
        assertThat(BitbucketOpsConfiguration.submitted(new Form(null), null)).isEmpty();
    }

    @Test
    void twoInstancesWithOneIdAreRefusedBeforeAnythingChanges() {
        Form form = new Form(List.of(new BitbucketInstance("prod", "https://a.example.com", "x"),
                new BitbucketInstance("prod", "https://b.example.com", "y")));
        assertThatThrownBy(() -> BitbucketOpsConfiguration.submitted(form, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prod");
    }
}
