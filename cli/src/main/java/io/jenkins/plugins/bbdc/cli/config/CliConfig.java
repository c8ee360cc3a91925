package io.jenkins.plugins.bbdc.cli.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The bbdc-ops configuration file (docs/cli.md has the schema). Sections are read by the commands that need them, so
 * a file for backups only need not describe upgrades; unknown keys are refused everywhere.
 */
public final class CliConfig {
    private final ConfigNode root;
    private final Instance instance;

    /** The Bitbucket instance section. The password is a reference, resolved only when a client is built. */
    public record Instance(String id, URI url, URI adminUrl, String username, SecretRef password, List<URI> nodes,
                           Duration connectTimeout, Duration readTimeout) {
    }

    private CliConfig(ConfigNode root) {
        this.root = root;
        root.allowOnly("instance", "catalog", "proxy", "backup", "retention", "restore", "verify", "upgrade");
        this.instance = parseInstance(root.child("instance"));
    }

    public static CliConfig load(Path file) {
        return load(file, System::getenv);
    }

    /** @param environment where {@code {env: NAME}} secrets are looked up (tests give their own) */
    public static CliConfig load(Path file, Function<String, String> environment) {
        String name = file.toString();
        JsonNode tree;
        try {
            tree = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new ConfigException(name + ": no such file (give the configuration with --config FILE)");
        } catch (JsonProcessingException e) {
            throw new ConfigException(name + ": not valid YAML at line " + e.getLocation().getLineNr() + ": "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigException(name + ": cannot read: " + e.getMessage());
        }
        if (tree == null || !tree.isObject()) {
            throw new ConfigException(name + ": expected a YAML mapping with at least an 'instance' section");
        }
        return new CliConfig(new ConfigNode(name, "", tree, environment));
    }

    private static Instance parseInstance(ConfigNode n) {
        if (!n.isPresent()) {
            throw n.error("required: the Bitbucket instance (id, url, username, password, nodes)");
        }
        n.allowOnly("id", "url", "adminUrl", "username", "password", "nodes", "connectTimeout", "readTimeout");
        String id = n.string("id");
        if (!id.matches("[a-z0-9][a-z0-9-]{0,40}")) {
            throw n.child("id").error("'" + id + "' is not a valid instance id: lower-case letters, digits and"
                    + " hyphens, at most 41 characters (it becomes part of snapshot names and tags)");
        }
        List<URI> nodes = new ArrayList<>();
        for (ConfigNode item : n.child("nodes").items()) {
            nodes.add(uri(item, item.asText()));
        }
        return new Instance(id, uri(n.child("url"), n.string("url")),
                n.has("adminUrl") ? uri(n.child("adminUrl"), n.string("adminUrl")) : null,
                n.string("username"), n.secret("password"), nodes,
                n.duration("connectTimeout", Duration.ofSeconds(10)), n.duration("readTimeout", Duration.ofSeconds(30)));
    }

    static URI uri(ConfigNode where, String text) {
        try {
            URI u = new URI(text);
            if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https"))
                    || u.getHost() == null) {
                throw where.error("'" + text + "' is not an http(s) URL such as https://bitbucket.example.com");
            }
            return u;
        } catch (URISyntaxException e) {
            throw where.error("'" + text + "' is not a URL: " + e.getReason());
        }
    }

    public Instance instance() {
        return instance;
    }

    /** The restore point catalog directory (default: ~/.bbdc-ops/catalog). */
    public Path catalog() {
        ConfigNode c = root.child("catalog");
        return c.isPresent() ? Path.of(c.asText())
                : Path.of(System.getProperty("user.home"), ".bbdc-ops", "catalog");
    }

    /**
     * The {@code proxy} section: the HTTP proxy of the cloud and storage providers' calls; {@link ProxySettings#NONE}
     * when absent. Its password is resolved only when a provider that calls out is built.
     */
    public ProxySettings proxy() {
        return ProxySettings.parse(root.child("proxy"));
    }

    public ConfigNode section(String name) {
        return root.child(name);
    }

    public String file() {
        return root.file();
    }
}
