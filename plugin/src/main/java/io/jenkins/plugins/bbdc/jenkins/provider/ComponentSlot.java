package io.jenkins.plugins.bbdc.jenkins.provider;

/** The places a provider can serve in a restore point; forms offer each slot only the providers that fit it. */
public enum ComponentSlot {
    HOME,
    MESH_HOME,
    DATABASE,
    SEARCH
}
