package io.jenkins.plugins.bbdc.jenkins.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The System page is bound into its own object and validated before the configuration changes, so a build reading
 * the instances during a save never sees an empty or half-bound list.
 */
class SubmittedConfigurationTest {

    /**
     * Binds as Stapler's {@code bindJSON} does: the {@code instances} setter is called only when the form has the
     * key.
     */
    private static final class Form implements Consumer<BitbucketOpsConfiguration.SubmittedForm> {
        final List<BitbucketInstance> instances;
        final List<Object> boundInto = new ArrayList<>();

        Form(List<BitbucketInstance> instances) {
            this.instances = instances;
        }

        @Override
        public void accept(BitbucketOpsConfiguration.SubmittedForm bean) {
            boundInto.add(bean);
            if (instances != null) {
                bean.setInstances(instances);
            }
        }
    }

    @Test
    void theFormIsBoundIntoItsOwnObject() {
        BitbucketInstance prod = new BitbucketInstance("prod", "https://bitbucket.example.com", "bb-admin");
        BitbucketInstance qa = new BitbucketInstance("qa", "https://qa.example.com", "bb-admin");
        Form form = new Form(List.of(prod, qa));
        assertThat(BitbucketOpsConfiguration.submitted(form)).containsExactly(prod, qa);
        assertThat(form.boundInto).singleElement().isInstanceOf(BitbucketOpsConfiguration.SubmittedForm.class);
    }

    @Test
    void aFormWithoutInstancesDeletesThemAll() {
        assertThat(BitbucketOpsConfiguration.submitted(new Form(null))).isEmpty();
    }

    @Test
    void twoInstancesWithOneIdAreRefusedBeforeAnythingChanges() {
        Form form = new Form(List.of(new BitbucketInstance("prod", "https://a.example.com", "x"),
                new BitbucketInstance("prod", "https://b.example.com", "y")));
        assertThatThrownBy(() -> BitbucketOpsConfiguration.submitted(form))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prod");
    }
}
