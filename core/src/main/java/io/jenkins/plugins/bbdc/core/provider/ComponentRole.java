package io.jenkins.plugins.bbdc.core.provider;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The role a component plays in a restore point: {@code home} (the shared home), {@code mesh-home:<node>} (one per
 * Mesh node), {@code database} and {@code search}. Stored in manifests and snapshot tags as {@link #value()}.
 */
public record ComponentRole(String value) {
    private static final Pattern MESH = Pattern.compile("mesh-home:[A-Za-z0-9._-]{1,64}");

    public static final ComponentRole HOME = new ComponentRole("home");
    public static final ComponentRole DATABASE = new ComponentRole("database");
    public static final ComponentRole SEARCH = new ComponentRole("search");

    public ComponentRole {
        Objects.requireNonNull(value, "role");
        if (!value.equals("home") && !value.equals("database") && !value.equals("search")
                && !MESH.matcher(value).matches()) {
            throw new IllegalArgumentException("unknown component role '" + value
                    + "': expected home, database, search or mesh-home:<node> (node: letters, digits, . _ -)");
        }
    }

    public static ComponentRole meshHome(String node) {
        return new ComponentRole("mesh-home:" + node);
    }

    public static ComponentRole parse(String value) {
        return new ComponentRole(value);
    }

    public boolean isMeshHome() {
        return value.startsWith("mesh-home:");
    }

    /** The Mesh node name of a {@code mesh-home:<node>} role, else null. */
    public String meshNode() {
        return isMeshHome() ? value.substring("mesh-home:".length()) : null;
    }

    /** A form safe in file names, snapshot names and tags: {@code mesh-home-m1}. */
    public String slug() {
        return value.replace(':', '-');
    }

    @Override
    public String toString() {
        return value;
    }
}
