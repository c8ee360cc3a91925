package io.jenkins.plugins.bbdc.jenkins.config;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Describable;
import hudson.model.Descriptor;
import io.jenkins.plugins.bbdc.core.retention.RetentionPolicy;
import io.jenkins.plugins.bbdc.jenkins.Messages;
import io.jenkins.plugins.bbdc.jenkins.util.Text;
import java.io.Serializable;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * Which restore points a backup keeps afterwards: {@code retention(keepLast: 7, daily: 14, monthly: 12)}. A point
 * is kept when any rule selects it; the newest complete point is always kept; failed and partial points go.
 */
public final class RetentionRules implements Describable<RetentionRules>, Serializable {
    private static final long serialVersionUID = 1L;

    private int keepLast;
    private int keepWithinDays;
    private int hourly;
    private int daily;
    private int weekly;
    private int monthly;
    private String zone;

    @DataBoundConstructor
    public RetentionRules() {
    }

    public int getKeepLast() {
        return keepLast;
    }

    @DataBoundSetter
    public void setKeepLast(int keepLast) {
        this.keepLast = keepLast;
    }

    public int getKeepWithinDays() {
        return keepWithinDays;
    }

    @DataBoundSetter
    public void setKeepWithinDays(int keepWithinDays) {
        this.keepWithinDays = keepWithinDays;
    }

    public int getHourly() {
        return hourly;
    }

    @DataBoundSetter
    public void setHourly(int hourly) {
        this.hourly = hourly;
    }

    public int getDaily() {
        return daily;
    }

    @DataBoundSetter
    public void setDaily(int daily) {
        this.daily = daily;
    }

    public int getWeekly() {
        return weekly;
    }

    @DataBoundSetter
    public void setWeekly(int weekly) {
        this.weekly = weekly;
    }

    public int getMonthly() {
        return monthly;
    }

    @DataBoundSetter
    public void setMonthly(int monthly) {
        this.monthly = monthly;
    }

    /** Time zone in which hours, days, weeks and months are counted; null = UTC. */
    @CheckForNull
    public String getZone() {
        return zone;
    }

    @DataBoundSetter
    public void setZone(String zone) {
        this.zone = Text.trimToNull(zone);
    }

    /**
     * The engine policy.
     *
     * @throws IllegalArgumentException saying what is wrong (no rule, a negative count, an unknown zone)
     */
    public RetentionPolicy toPolicy() {
        if (keepWithinDays < 0) {
            throw new IllegalArgumentException(Messages.RetentionRules_negativeDays());
        }
        ZoneId z;
        try {
            z = zone == null ? null : ZoneId.of(zone);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException(Messages.RetentionRules_badZone(zone));
        }
        return new RetentionPolicy(keepLast, keepWithinDays == 0 ? null : Duration.ofDays(keepWithinDays), hourly,
                daily, weekly, monthly, z);
    }

    @Extension
    @Symbol("retention")
    public static final class DescriptorImpl extends Descriptor<RetentionRules> {
        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.RetentionRules_displayName();
        }
    }
}
