package io.jenkins.plugins.bbdc.jenkins.util;

/**
 * Who may call the form methods ({@code doCheck*}, {@code doFill*}, {@code doTest*}). Every such method is
 * {@code @POST} and asks here first, so a user with Overall/Read alone can neither probe URLs through "Test
 * connection" nor enumerate credentials ids. The rules are plain functions of the caller's grants so they can be
 * tested without Jenkins; {@link JenkinsGrants} supplies the real grants.
 */
public final class FormAccess {

    /** The permissions the rules look at. */
    public enum Need {
        /** Job/Configure on the job whose form is shown. */
        ITEM_CONFIGURE,
        /** Job/ExtendedRead on the job. */
        ITEM_EXTENDED_READ,
        /** Credentials/UseItem on the job. */
        ITEM_USE_CREDENTIALS,
        /** Overall/Administer. */
        ADMINISTER
    }

    /** The caller's grants in the context of the form. */
    @FunctionalInterface
    public interface Grants {
        boolean has(Need need);
    }

    private FormAccess() {
    }

    /** Validating a field: Configure on the job, or Administer for the global configuration (no job). */
    public static boolean mayValidate(boolean inJob, Grants grants) {
        return grants.has(inJob ? Need.ITEM_CONFIGURE : Need.ADMINISTER);
    }

    /**
     * Listing credentials ids (credentials-plugin consumer rules): ExtendedRead or UseItem on the job, or Administer
     * without a job. Otherwise only the current value is echoed back.
     */
    public static boolean mayListCredentials(boolean inJob, Grants grants) {
        if (inJob) {
            return grants.has(Need.ITEM_EXTENDED_READ) || grants.has(Need.ITEM_USE_CREDENTIALS);
        }
        return grants.has(Need.ADMINISTER);
    }

    /** Contacting Bitbucket from a form ("Test connection"): only whoever may change the global configuration. */
    public static boolean mayTestConnection(Grants grants) {
        return grants.has(Need.ADMINISTER);
    }
}
