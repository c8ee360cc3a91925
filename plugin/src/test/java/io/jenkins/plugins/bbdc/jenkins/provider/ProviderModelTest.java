package io.jenkins.plugins.bbdc.jenkins.provider;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.Extension;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jenkinsci.Symbol;
import org.junit.jupiter.api.Test;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * The shape scripts, the snippet generator and configuration-as-code rely on, checked for every provider: one
 * data-bound constructor, a getter for every setter (otherwise round trips lose the value), a unique symbol, and a
 * configuration that survives serialization (a running step keeps it across a controller restart).
 */
class ProviderModelTest {

    static List<Class<? extends ComponentProvider>> providers() throws Exception {
        Path dir = Path.of(ComponentProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve(ComponentProvider.class.getPackageName().replace('.', '/'));
        List<Class<? extends ComponentProvider>> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (n.endsWith(".class") && !n.contains("$")) {
                    Class<?> c = Class.forName(ComponentProvider.class.getPackageName() + "." + n.replace(".class", ""));
                    if (ComponentProvider.class.isAssignableFrom(c) && !Modifier.isAbstract(c.getModifiers())) {
                        out.add(c.asSubclass(ComponentProvider.class));
                    }
                }
            }
        }
        return out;
    }

    @Test
    void everyDocumentedSymbolExistsOnce() throws Exception {
        Map<String, String> symbols = new HashMap<>();
        for (Class<? extends ComponentProvider> c : providers()) {
            Class<?> d = Arrays.stream(c.getDeclaredClasses()).filter(k -> k.getSimpleName().equals("DescriptorImpl"))
                    .findFirst().orElseThrow(() -> new AssertionError(c + " has no DescriptorImpl"));
            assertThat(d.getAnnotation(Extension.class)).as(d + " @Extension").isNotNull();
            Symbol sym = d.getAnnotation(Symbol.class);
            assertThat(sym).as(d + " @Symbol").isNotNull();
            for (String v : sym.value()) {
                assertThat(symbols.put(v, c.getSimpleName())).as("symbol " + v + " used twice").isNull();
            }
            assertThat(ComponentProviderDescriptor.class.isAssignableFrom(d)).isTrue();
        }
        assertThat(symbols.keySet()).containsExactlyInAnyOrder("ebsSnapshot", "rdsSnapshot", "auroraSnapshot",
                "lvmSnapshot", "zfsSnapshot", "btrfsSnapshot", "netappSnapshot", "postgresDump", "rsyncCopy",
                "openSearchSnapshot", "scriptSnapshot");
    }

    @Test
    void everySetterHasAGetterOfTheSameType() throws Exception {
        List<String> problems = new ArrayList<>();
        for (Class<? extends ComponentProvider> c : providers()) {
            long ctors = Arrays.stream(c.getConstructors()).filter(k -> k.isAnnotationPresent(DataBoundConstructor.class)).count();
            if (ctors != 1) {
                problems.add(c.getSimpleName() + " has " + ctors + " @DataBoundConstructor");
            }
            for (Method m : c.getMethods()) {
                if (m.isAnnotationPresent(DataBoundSetter.class)) {
                    String prop = m.getName().substring(3);
                    Class<?> type = m.getParameterTypes()[0];
                    Method getter = find(c, (type == boolean.class ? "is" : "get") + prop);
                    if (getter == null || getter.getReturnType() != type) {
                        problems.add(c.getSimpleName() + "." + m.getName() + " has no matching getter");
                    }
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void aConfiguredProviderSurvivesSerializationWithItsSettings() throws Exception {
        for (Class<? extends ComponentProvider> c : providers()) {
            ComponentProvider p = sample(c);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(p);
            }
            Object back;
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                back = in.readObject();
            }
            for (Method g : c.getMethods()) {
                if ((g.getName().startsWith("get") || g.getName().startsWith("is")) && g.getParameterCount() == 0
                        && ComponentProvider.class.isAssignableFrom(g.getDeclaringClass())) {
                    assertThat(g.invoke(back)).as(c.getSimpleName() + "." + g.getName()).isEqualTo(g.invoke(p));
                }
            }
        }
    }

    @Test
    void commandProvidersNeedAnAgentAndApiProvidersDoNot() throws Exception {
        List<String> onAgent = new ArrayList<>();
        for (Class<? extends ComponentProvider> c : providers()) {
            if (sample(c).runsCommands()) {
                onAgent.add(sample(c).kind());
            }
        }
        // the sample EBS provider names freeze mount points: fsfreeze runs on the agent
        assertThat(onAgent).containsExactlyInAnyOrder("lvm", "zfs", "btrfs", "postgres", "rsync", "script", "ebs");
        assertThat(new EbsSnapshotProvider("eu-west-1").runsCommands()).isFalse();
    }

    @Test
    void settersNormaliseEmptyValuesToTheDefault() {
        PostgresDumpProvider p = new PostgresDumpProvider(" db.example.com ", "bitbucket", "pg", "/backups");
        p.setSslMode("  ");
        assertThat(p.getHost()).isEqualTo("db.example.com");
        assertThat(p.getSslMode()).isEqualTo("prefer");
        assertThat(p.getPort()).isEqualTo(5432);
        assertThat(p.credentialsIds()).containsExactly("pg");
        EbsSnapshotProvider e = new EbsSnapshotProvider("eu-west-1");
        e.setCredentialsId("");
        assertThat(e.getCredentialsId()).isNull();
        assertThat(e.credentialsIds()).isEmpty();
    }

    @Test
    void theAwsProvidersKeepEveryPropertyNameOfSavedConfigurationsAndScripts() throws Exception {
        // names are the contract of Jenkinsfiles, JCasC YAML and saved XML: moving a property into the shared base
        // must not rename, drop or add one
        List<String> aws = List.of("region", "credentialsId", "roleArn", "externalId", "endpointUrl",
                "roleSessionName", "roleSessionDurationMinutes", "extraTags", "copyRegion", "copyKmsKeyId");
        List<String> database = List.of("waitTimeoutMinutes", "restorableWaitTimeoutMinutes", "restoreIdentifier",
                "restoreInstanceClass", "restoreSubnetGroupName", "restoreSecurityGroupIds",
                "restoreParameterGroupName");
        Map<Class<?>, List<String>> expected = Map.of(
                EbsSnapshotProvider.class, concat(aws, List.of("volumeId", "ec2InstanceId", "excludeBootVolume",
                        "freezeMountPoints", "excludeVolumeIds", "durableTimeoutMinutes", "restoreAvailabilityZone",
                        "restoreInstanceId", "restoreVolumeType", "restoreIops", "restoreThroughput",
                        "restoreEncrypted", "restoreKmsKeyId", "restoreMountPoints", "restoreOsDevices")),
                RdsSnapshotProvider.class, concat(aws, database, List.of("dbInstanceIdentifier", "restoreMultiAz")),
                AuroraSnapshotProvider.class, concat(aws, database, List.of("dbClusterIdentifier",
                        "restoreClusterParameterGroupName")));
        for (Map.Entry<Class<?>, List<String>> e : expected.entrySet()) {
            Class<?> c = e.getKey();
            assertThat(AwsComponentProvider.class.isAssignableFrom(c)).as(c + " shares the AWS base").isTrue();
            List<String> fields = new ArrayList<>();
            for (Class<?> k = c; k != ComponentProvider.class; k = k.getSuperclass()) {
                Arrays.stream(k.getDeclaredFields()).filter(f -> !Modifier.isStatic(f.getModifiers()))
                        .forEach(f -> fields.add(f.getName()));
            }
            assertThat(fields).as(c.getSimpleName() + " fields (XStream element names)")
                    .containsExactlyInAnyOrderElementsOf(e.getValue());
            for (String property : e.getValue()) {
                String suffix = Character.toUpperCase(property.charAt(0)) + property.substring(1);
                Method getter = find(c, "get" + suffix) != null ? find(c, "get" + suffix) : find(c, "is" + suffix);
                assertThat(getter).as(c.getSimpleName() + " getter of " + property).isNotNull();
            }
        }
        EbsSnapshotProvider ebs = (EbsSnapshotProvider) sample(EbsSnapshotProvider.class);
        assertThat(ebs.getRegion()).isEqualTo("value-0");
        assertThat(List.of(ebs.getCredentialsId(), ebs.getRoleArn(), ebs.getExternalId(), ebs.getEndpointUrl(),
                ebs.getRoleSessionName(), ebs.getExtraTags())).allMatch(v -> v.startsWith("value-1"))
                .doesNotHaveDuplicates();
        EbsSnapshotProvider fresh = new EbsSnapshotProvider("eu-west-1");
        assertThat(fresh.isExcludeBootVolume()).isTrue();
        // the defaults the forms show (jelly default="…") are the engine's
        assertThat(fresh.getRoleSessionDurationMinutes()).isEqualTo(60);
        assertThat(fresh.getDurableTimeoutMinutes()).isEqualTo(360);
        assertThat(fresh.getRestoreVolumeType()).isEqualTo("gp3");
        assertThat(fresh.getRestoreIops()).isZero();
        assertThat(fresh.getRestoreThroughput()).isZero();
        assertThat(fresh.isRestoreEncrypted()).isFalse();
        RdsSnapshotProvider rds = new RdsSnapshotProvider("db", "eu-west-1");
        assertThat(rds.getWaitTimeoutMinutes()).isEqualTo(360);
        assertThat(rds.getRestorableWaitTimeoutMinutes()).isEqualTo(20);
        assertThat(rds.isRestoreMultiAz()).isFalse();
        assertThat(new OpenSearchSnapshotProvider("https://s:9200", "r").getWaitTimeoutMinutes()).isEqualTo(120);
        fresh.setRestoreVolumeType(" ");
        assertThat(fresh.getRestoreVolumeType()).isEqualTo("gp3");
    }

    @Test
    void theAwsFormsKeepTheirValidationAndCredentialsListThroughTheSharedDescriptor() throws Exception {
        for (Class<?> d : List.of(EbsSnapshotProvider.DescriptorImpl.class, RdsSnapshotProvider.DescriptorImpl.class,
                AuroraSnapshotProvider.DescriptorImpl.class)) {
            // Stapler finds public form methods of superclasses: these must stay reachable on every AWS descriptor
            assertThat(d.getMethod("doCheckRegion", hudson.model.Item.class, String.class)).isNotNull();
            assertThat(d.getMethod("doFillCredentialsIdItems", hudson.model.Item.class, String.class, String.class,
                    String.class)).isNotNull();
            assertThat(d.getMethod("doCheckCredentialsId", hudson.model.Item.class, String.class, String.class,
                    String.class)).isNotNull();
            assertThat(d.getMethod("doCheckRoleSessionName", hudson.model.Item.class, String.class)).isNotNull();
        }
        assertThat(RdsSnapshotProvider.DescriptorImpl.class
                .getMethod("doCheckDbInstanceIdentifier", hudson.model.Item.class, String.class)).isNotNull();
        assertThat(AuroraSnapshotProvider.DescriptorImpl.class
                .getMethod("doCheckDbClusterIdentifier", hudson.model.Item.class, String.class)).isNotNull();
    }

    @SafeVarargs
    private static List<String> concat(List<String>... parts) {
        List<String> out = new ArrayList<>();
        for (List<String> p : parts) {
            out.addAll(p);
        }
        return out;
    }

    private static Method find(Class<?> c, String name) {
        try {
            return c.getMethod(name);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    /** An instance with every constructor argument and setter given a distinctive value. */
    static ComponentProvider sample(Class<? extends ComponentProvider> c) throws Exception {
        Constructor<?> ctor = Arrays.stream(c.getConstructors())
                .filter(k -> k.isAnnotationPresent(DataBoundConstructor.class)).findFirst().orElseThrow();
        Object[] args = new Object[ctor.getParameterCount()];
        for (int i = 0; i < args.length; i++) {
            args[i] = value(ctor.getParameterTypes()[i], i);
        }
        ComponentProvider p = (ComponentProvider) ctor.newInstance(args);
        int i = 100;
        for (Method m : c.getMethods()) {
            if (m.isAnnotationPresent(DataBoundSetter.class)) {
                m.invoke(p, value(m.getParameterTypes()[0], i++));
            }
        }
        return p;
    }

    private static Object value(Class<?> type, int i) throws URISyntaxException {
        if (type == int.class) {
            return i + 1;
        }
        if (type == boolean.class) {
            return i % 2 == 0;
        }
        return "value-" + i;
    }
}
