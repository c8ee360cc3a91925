package io.jenkins.plugins.bbdc.jenkins.provider;

/**
 * Role session names that say which build assumed an AWS role: {@code jenkins-<job>-<build>}, within the STS rules
 * (2-64 characters of letters, digits and {@code + = , . @ _ -}). Folders and characters STS does not take become
 * {@code -}; a long job name is cut from the left, so the end of the name and the build number stay.
 */
public final class RoleSessionNames {
    private static final int MAX = 64;

    private RoleSessionNames() {
    }

    /** @param externalizableId a build's id as Jenkins writes it, {@code folder/job#42} */
    public static String forBuild(String externalizableId) {
        int hash = externalizableId.lastIndexOf('#');
        String job = hash < 0 ? externalizableId : externalizableId.substring(0, hash);
        String number = hash < 0 ? "" : "-" + externalizableId.substring(hash + 1);
        String cleanJob = job.replaceAll("[^\\w+=,.@-]+", "-").replaceAll("^-+|-+$", "");
        String prefix = "jenkins-";
        int room = MAX - prefix.length() - number.length();
        if (cleanJob.length() > room) {
            cleanJob = cleanJob.substring(cleanJob.length() - room);
        }
        return prefix + cleanJob + number.replaceAll("[^\\w+=,.@-]+", "-");
    }
}
