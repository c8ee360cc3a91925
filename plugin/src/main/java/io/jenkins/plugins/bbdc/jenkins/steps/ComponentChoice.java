package io.jenkins.plugins.bbdc.jenkins.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import io.jenkins.plugins.bbdc.core.provider.ComponentRole;
import io.jenkins.plugins.bbdc.core.provider.SnapshotProvider;
import io.jenkins.plugins.bbdc.jenkins.Messages;
import io.jenkins.plugins.bbdc.jenkins.config.BitbucketInstance;
import io.jenkins.plugins.bbdc.jenkins.config.MeshHome;
import io.jenkins.plugins.bbdc.jenkins.provider.ClosingProvider;
import io.jenkins.plugins.bbdc.jenkins.provider.ComponentProvider;
import io.jenkins.plugins.bbdc.jenkins.provider.ProviderServices;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which provider serves each component: the step's own choice where it names one, else the instance's default.
 * Serializable (plain configuration) because running steps keep it.
 */
public final class ComponentChoice implements Serializable {
    private static final long serialVersionUID = 1L;

    private final ComponentProvider home;
    private final ComponentProvider database;
    private final ComponentProvider search;

    private final ArrayList<MeshHome> meshHomes;

    public ComponentChoice(@CheckForNull ComponentProvider home, @CheckForNull ComponentProvider database,
                           @CheckForNull ComponentProvider search) {
        this(home, database, search, null);
    }

    public ComponentChoice(@CheckForNull ComponentProvider home, @CheckForNull ComponentProvider database,
                           @CheckForNull ComponentProvider search, @CheckForNull List<MeshHome> meshHomes) {
        this.home = home;
        this.database = database;
        this.search = search;
        this.meshHomes = meshHomes == null ? new ArrayList<>() : new ArrayList<>(meshHomes);
    }

    /** Role value → configured provider, step overrides first; search is optional. */
    public Map<String, ComponentProvider> resolve(BitbucketInstance instance) throws AbortException {
        Map<String, ComponentProvider> out = new LinkedHashMap<>();
        ComponentProvider h = home != null ? home : instance.getHome();
        ComponentProvider d = database != null ? database : instance.getDatabase();
        ComponentProvider s = search != null ? search : instance.getSearch();
        if (h == null) {
            throw new AbortException(Messages.ComponentChoice_missing("home", instance.getId()));
        }
        if (d == null) {
            throw new AbortException(Messages.ComponentChoice_missing("database", instance.getId()));
        }
        out.put(ComponentRole.HOME.value(), h);
        out.put(ComponentRole.DATABASE.value(), d);
        if (s != null) {
            out.put(ComponentRole.SEARCH.value(), s);
        }
        for (MeshHome m : meshHomes) {
            String role;
            try {
                role = ComponentRole.meshHome(m.getNode()).value();
            } catch (IllegalArgumentException e) {
                throw new AbortException(Messages.ComponentChoice_badMeshNode(String.valueOf(m.getNode())));
            }
            if (m.getProvider() == null) {
                throw new AbortException(Messages.ComponentChoice_meshWithoutProvider(m.getNode()));
            }
            if (out.putIfAbsent(role, m.getProvider()) != null) {
                throw new AbortException(Messages.ComponentChoice_duplicateMeshNode(m.getNode()));
            }
        }
        return out;
    }

    /** True when a chosen provider runs commands (so the step needs a node). */
    public static boolean needsAgent(Map<String, ComponentProvider> chosen) {
        return chosen.values().stream().anyMatch(ComponentProvider::runsCommands);
    }

    /**
     * Role value → copy destination of each chosen provider that has one (Mesh homes included).
     *
     * @throws AbortException when a provider's destination cannot be used (its own region): nothing changed yet
     */
    public static Map<String, Map<String, String>> copyDestinations(Map<String, ComponentProvider> chosen)
            throws AbortException {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (Map.Entry<String, ComponentProvider> e : chosen.entrySet()) {
            Map<String, String> d = e.getValue().copyDestination();
            if (!d.isEmpty()) {
                out.put(e.getKey(), Map.copyOf(d));
            }
        }
        return out;
    }

    /** Builds the engine providers, resolving credentials through {@code services}. */
    public static Map<String, SnapshotProvider> toEngine(Map<String, ComponentProvider> chosen,
                                                         ProviderServices services)
            throws IOException, InterruptedException {
        Map<String, SnapshotProvider> out = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, ComponentProvider> e : chosen.entrySet()) {
                if (e.getValue().runsCommands()) {
                    services.commandRunner(e.getValue()); // fails early and clearly outside node
                }
                out.put(e.getKey(), e.getValue().toEngine(services));
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            ClosingProvider.closeAll(out.values()); // release what the earlier providers opened
            throw e;
        }
        return out;
    }
}
