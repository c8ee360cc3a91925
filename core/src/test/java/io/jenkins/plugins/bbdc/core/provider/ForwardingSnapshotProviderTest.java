package io.jenkins.plugins.bbdc.core.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.bbdc.core.provider.fs.FsfreezeProvider;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * A wrapper forwards every method of the provider SPI — the interface's defaults included — so a wrapped provider's
 * own behaviour (removing its scratch volume, copying to another region) is never replaced by the interface default.
 */
class ForwardingSnapshotProviderTest {

    /** A provider that records which of its methods were called and answers with nothing. */
    private static SnapshotProvider recording(Set<String> calls) {
        return (SnapshotProvider) Proxy.newProxyInstance(SnapshotProvider.class.getClassLoader(),
                new Class<?>[] {SnapshotProvider.class}, (proxy, m, args) -> {
                    calls.add(m.getName());
                    return m.getReturnType() == boolean.class ? false : null;
                });
    }

    private static Set<String> spiMethods() {
        Set<String> names = new TreeSet<>();
        Arrays.stream(SnapshotProvider.class.getMethods()).filter(m -> !Modifier.isStatic(m.getModifiers()))
                .forEach(m -> names.add(m.getName()));
        return names;
    }

    private static void callEverything(SnapshotProvider p) throws Exception {
        for (Method m : SnapshotProvider.class.getMethods()) {
            if (!Modifier.isStatic(m.getModifiers())) {
                m.invoke(p, new Object[m.getParameterCount()]);
            }
        }
    }

    @Test
    void everyMethodOfTheSpiReachesTheWrappedProvider() throws Exception {
        Set<String> calls = new TreeSet<>();
        SnapshotProvider wrapper = new ForwardingSnapshotProvider(recording(calls)) { };

        callEverything(wrapper);

        assertThat(calls).containsExactlyElementsOf(spiMethods()).contains("discardScratch", "copy");
    }

    @Test
    void theFreezeWrapperLeavesRemovalOfScratchCopiesCopiesAndListingsToTheWrappedProvider() throws Exception {
        Set<String> calls = new TreeSet<>();
        FsfreezeProvider frozen = new FsfreezeProvider(recording(calls), List.of("/var/atlassian/shared"), null);

        frozen.discardScratch(null, null);
        frozen.copy(null, null, null);
        frozen.list(null);
        frozen.delete(null, null);

        assertThat(calls).containsExactlyInAnyOrder("discardScratch", "copy", "list", "delete");
    }
}
