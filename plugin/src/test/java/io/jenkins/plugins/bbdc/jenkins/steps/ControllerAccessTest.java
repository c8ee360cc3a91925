package io.jenkins.plugins.bbdc.jenkins.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.AbortException;
import io.jenkins.plugins.bbdc.core.restore.GitLockCleaner;
import io.jenkins.plugins.bbdc.jenkins.config.BitbucketInstance;
import io.jenkins.plugins.bbdc.jenkins.provider.ComponentProvider;
import io.jenkins.plugins.bbdc.jenkins.provider.EbsSnapshotProvider;
import io.jenkins.plugins.bbdc.jenkins.provider.RdsSnapshotProvider;
import io.jenkins.plugins.bbdc.jenkins.provider.RsyncCopyProvider;
import io.jenkins.plugins.bbdc.jenkins.runtime.FileWorkSite;
import io.jenkins.plugins.bbdc.jenkins.runtime.SharedHomeOnNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a job author cannot do with the controller's own identity or file system unless an administrator allowed it
 * for the instance: call AWS as the controller, or have a restore or restore test act on the controller's files.
 */
class ControllerAccessTest {
    private static final FileWorkSite NO_NODE = FileWorkSite.of(null);
    private static final FileWorkSite BUILT_IN = new FileWorkSite(FileWorkSite.Kind.BUILT_IN_NODE, null);
    private static final FileWorkSite AGENT = new FileWorkSite(FileWorkSite.Kind.AGENT, null);

    @TempDir
    Path tmp;

    private final BitbucketInstance prod = new BitbucketInstance("prod", "https://bb", "bb-admin");

    @Test
    void aStepsOwnAwsProviderWithoutCredentialsGetsOnlyTheAllowanceOfTheInstance() throws Exception {
        EbsSnapshotProvider stepHome = new EbsSnapshotProvider("eu-west-1");
        stepHome.setVolumeId("vol-0123456789abcdef0");
        BitbucketRestoreStep step = new BitbucketRestoreStep("prod");
        step.setHome(stepHome);
        prod.setDatabase(new RdsSnapshotProvider("bitbucket-db", "eu-west-1"));
        Map<String, ComponentProvider> chosen = step.arguments().components.resolve(prod);

        // the build's own services, as every step and builder makes them: refused before any AWS client exists
        StepRuntime build = new StepRuntime(prod, null, null, null);
        assertThat(build.services.controllerAwsIdentityAllowed()).isFalse();
        assertThatThrownBy(() -> ComponentChoice.toEngine(chosen, build.services))
                .isInstanceOf(AbortException.class)
                .hasMessageContaining("The provider ebs eu-west-1 names no AWS credentials entry")
                .hasMessageContaining("Allow the controller AWS identity for the instance 'prod'");

        prod.setAllowControllerAwsIdentity(true);
        assertThat(new StepRuntime(prod, null, null, null).services.controllerAwsIdentityAllowed()).isTrue();
    }

    @Test
    void aRestoreWritingTheSharedHomeOnTheControllerIsRefusedUnlessTheInstanceAllowsIt() throws Exception {
        RestoreArguments args = restore("/var/atlassian/bitbucket/shared").arguments();
        Map<String, ComponentProvider> chosen = Map.of("home", new EbsSnapshotProvider("eu-west-1"));

        assertThatThrownBy(() -> RestoreOperation.requireSite(prod, args, chosen, NO_NODE))
                .isInstanceOf(AbortException.class)
                .hasMessageContaining("The restore's work in the shared home /var/atlassian/bitbucket/shared")
                .hasMessageContaining("would act on the Jenkins controller's file system")
                .hasMessageContaining("outside a node block")
                .hasMessageContaining("Run the step inside a node block on an agent")
                .hasMessageContaining("Allow controller file system access for the instance 'prod'");
        assertThatThrownBy(() -> RestoreOperation.requireSite(prod, args, chosen, BUILT_IN))
                .hasMessageContaining("runs on the built-in node");
        assertThat(RestoreOperation.requireSite(prod, args, chosen, AGENT).where()).isEqualTo("agent");

        prod.setAllowControllerFileSystem(true);
        assertThat(RestoreOperation.requireSite(prod, args, chosen, NO_NODE).where()).isEqualTo("controller");
        assertThat(RestoreOperation.requireSite(prod, args, chosen, BUILT_IN).where()).isEqualTo("controller");
    }

    @Test
    void restoreCommandsOnTheBuiltInNodeAreRefusedButApiProvidersNeedNoAgent() throws Exception {
        RestoreArguments args = restore(null).arguments();
        Map<String, ComponentProvider> rsync = Map.of("home",
                new RsyncCopyProvider("/var/atlassian/bitbucket/shared", "/backups/bitbucket"));
        assertThatThrownBy(() -> RestoreOperation.requireSite(prod, args, rsync, BUILT_IN))
                .isInstanceOf(AbortException.class).hasMessageContaining("The restore commands of rsync")
                .hasMessageContaining("runs on the built-in node");
        assertThat(RestoreOperation.requireSite(prod, args, rsync, AGENT)).isSameAs(AGENT);

        // AWS calls only, no sharedHome: nothing touches a file system, with or without node
        Map<String, ComponentProvider> ebs = Map.of("home", new EbsSnapshotProvider("eu-west-1"));
        assertThat(RestoreOperation.requireSite(prod, args, ebs, NO_NODE)).isSameAs(NO_NODE);
        assertThat(RestoreOperation.requireSite(prod, args, ebs, BUILT_IN)).isSameAs(BUILT_IN);
    }

    /** What {@link SharedHomeOnNode} sends through {@code FilePath.act} to the agent, and what comes back. */
    @Test
    void theSharedHomesWorkRunsAsOneCallOnTheAgentAndOnlyPlainValuesComeBack() throws Exception {
        Path home = tmp.resolve("shared");
        Path repo = Files.createDirectories(home.resolve("data/repositories/1"));
        Files.createDirectories(repo.resolve("objects"));
        Files.createDirectories(repo.resolve("refs/heads"));
        Files.writeString(repo.resolve("HEAD.lock"), "stale");
        Files.writeString(repo.resolve("refs/heads/main.lock"), "stale");
        List<String> classes = new ArrayList<>();

        SharedHomeOnNode.Finish onAgent = roundTrip(new SharedHomeOnNode.Finish(true), classes);
        GitLockCleaner.Report report = roundTrip(onAgent.invoke(home.toFile(), null), classes).toReport();

        assertThat(report.repositories()).isEqualTo(1);
        assertThat(report.removed()).containsExactlyInAnyOrder("1/HEAD.lock", "1/refs/heads/main.lock");
        assertThat(repo.resolve("HEAD.lock")).doesNotExist();
        assertThat(Files.readString(home.resolve("bitbucket.properties"), StandardCharsets.UTF_8))
                .contains("disaster.recovery=true");
        // the controller's class filter (JEP-200) rejects the engine jar's classes: none may cross
        assertThat(classes).contains("io.jenkins.plugins.bbdc.jenkins.runtime.SharedHomeOnNode$Done")
                .allMatch(n -> n.startsWith("io.jenkins.plugins.bbdc.jenkins.") || n.startsWith("jenkins.")
                        || n.equals("java.util.ArrayList"), "plugin, core or list");
    }

    private static BitbucketRestoreStep restore(String sharedHome) {
        BitbucketRestoreStep step = new BitbucketRestoreStep("prod");
        step.setSharedHome(sharedHome);
        return step;
    }

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T value, List<String> classes) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray())) {
            @Override
            protected Class<?> resolveClass(java.io.ObjectStreamClass desc)
                    throws IOException, ClassNotFoundException {
                classes.add(desc.getName());
                return super.resolveClass(desc);
            }
        }) {
            return (T) in.readObject();
        }
    }
}
