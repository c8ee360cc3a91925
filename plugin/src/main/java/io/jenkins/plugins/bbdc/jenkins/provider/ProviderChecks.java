package io.jenkins.plugins.bbdc.jenkins.provider;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import io.jenkins.plugins.bbdc.core.provider.aws.AwsSettings;
import io.jenkins.plugins.bbdc.jenkins.Messages;
import io.jenkins.plugins.bbdc.jenkins.util.Text;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The form checks of provider fields as plain functions (null: fine, else what to change), so that the rules can be
 * tested without Jenkins. The engine applies the same rules when the operation starts; these only say it earlier.
 */
final class ProviderChecks {
    static final Set<String> VOLUME_TYPES = Set.of("gp2", "gp3", "io1", "io2", "st1", "sc1", "standard");
    private static final Pattern ROLE_SESSION_NAME = Pattern.compile("[\\w+=,.@-]{2,64}");
    private static final Pattern SECURITY_GROUP = Pattern.compile("sg-[0-9a-f]{8,17}");
    private static final Pattern VOLUME = Pattern.compile("vol-[0-9a-f]{8,17}");

    private ProviderChecks() {
    }

    @CheckForNull
    static String roleSessionNameProblem(@CheckForNull String value) {
        String v = Text.trimToNull(value);
        return v == null || ROLE_SESSION_NAME.matcher(v).matches() ? null
                : Messages.ProviderChecks_badRoleSessionName(v);
    }

    @CheckForNull
    static String roleSessionMinutesProblem(@CheckForNull String value) {
        return rangeProblem(value, 15, 720, Messages.ProviderChecks_roleSessionMinutes());
    }

    /** A whole number of minutes, at least one. */
    @CheckForNull
    static String minutesProblem(@CheckForNull String value, String what) {
        return rangeProblem(value, 1, Integer.MAX_VALUE, what);
    }

    /** Zero (the AWS default) or a positive number. */
    @CheckForNull
    static String optionalPositiveProblem(@CheckForNull String value, String what) {
        return rangeProblem(value, 0, Integer.MAX_VALUE, what);
    }

    @CheckForNull
    private static String rangeProblem(@CheckForNull String value, int min, int max, String what) {
        String v = Text.trimToNull(value);
        if (v == null) {
            return null; // the form's default applies
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return null;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        return max == Integer.MAX_VALUE ? Messages.ProviderChecks_atLeast(what, String.valueOf(min), v)
                : Messages.ProviderChecks_between(what, String.valueOf(min),
                String.valueOf(max), v);
    }

    /** An AWS region name, by the engine's own rule (it refuses the same names when the operation starts). */
    @CheckForNull
    static String regionProblem(@CheckForNull String value) {
        String v = Text.trimToNull(value);
        return v == null || AwsSettings.builder().region(v).build().problems().isEmpty() ? null
                : Messages.ProviderChecks_badRegion(v);
    }

    /** The copy destination: optional, a region name, not the source region, required with a KMS key. */
    @CheckForNull
    static String copyRegionProblem(@CheckForNull String copyRegion, @CheckForNull String region,
                                    @CheckForNull String copyKmsKeyId) {
        String v = Text.trimToNull(copyRegion);
        if (v == null) {
            return Text.trimToNull(copyKmsKeyId) == null ? null : Messages.ProviderChecks_copyKeyWithoutRegion();
        }
        String bad = regionProblem(v);
        if (bad != null) {
            return bad;
        }
        return v.equals(Text.trimToNull(region)) ? Messages.ProviderChecks_copyToSameRegion(v) : null;
    }

    @CheckForNull
    static String volumeTypeProblem(@CheckForNull String value) {
        String v = Text.trimToNull(value);
        return v == null || VOLUME_TYPES.contains(v) ? null : Messages.ProviderChecks_badVolumeType(v);
    }

    @CheckForNull
    static String securityGroupsProblem(@CheckForNull String value) {
        List<String> bad = SettingsText.words(value).stream().filter(g -> !SECURITY_GROUP.matcher(g).matches())
                .toList();
        return bad.isEmpty() ? null : Messages.ProviderChecks_badSecurityGroups(String.join(", ", bad));
    }

    @CheckForNull
    static String volumeIdsProblem(@CheckForNull String value) {
        List<String> bad = SettingsText.words(value).stream().filter(v -> !VOLUME.matcher(v).matches()).toList();
        return bad.isEmpty() ? null : Messages.ProviderChecks_badVolumeIds(String.join(", ", bad));
    }
}
