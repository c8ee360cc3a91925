package io.jenkins.plugins.bbdc.core.provider.aws;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the RDS provider snapshots and how it restores. Exactly one of {@code dbInstanceIdentifier} (RDS for
 * PostgreSQL) or {@code dbClusterIdentifier} (Aurora PostgreSQL) is set. A restore always creates a NEW instance or
 * cluster; the live one is never renamed or modified.
 */
public final class RdsConfig {
    private final String dbInstanceIdentifier;
    private final String dbClusterIdentifier;
    private final Map<String, String> extraTags;
    private final Duration waitTimeout;
    private final Duration restorableWaitTimeout;
    private final int pageSize;
    private final String restoreIdentifier;
    private final String instanceClass;
    private final String subnetGroupName;
    private final List<String> securityGroupIds;
    private final String parameterGroupName;
    private final String clusterParameterGroupName;
    private final Boolean multiAz;

    private RdsConfig(Builder b) {
        this.dbInstanceIdentifier = blankToNull(b.dbInstanceIdentifier);
        this.dbClusterIdentifier = blankToNull(b.dbClusterIdentifier);
        this.extraTags = Map.copyOf(b.extraTags);
        this.waitTimeout = b.waitTimeout;
        this.restorableWaitTimeout = b.restorableWaitTimeout;
        this.pageSize = b.pageSize;
        this.restoreIdentifier = blankToNull(b.restoreIdentifier);
        this.instanceClass = blankToNull(b.instanceClass);
        this.subnetGroupName = blankToNull(b.subnetGroupName);
        this.securityGroupIds = List.copyOf(b.securityGroupIds);
        this.parameterGroupName = blankToNull(b.parameterGroupName);
        this.clusterParameterGroupName = blankToNull(b.clusterParameterGroupName);
        this.multiAz = b.multiAz;
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<String> problems() {
        List<String> out = new ArrayList<>();
        if ((dbInstanceIdentifier == null) == (dbClusterIdentifier == null)) {
            out.add("set exactly one of 'dbInstanceIdentifier' (RDS) or 'dbClusterIdentifier' (Aurora)");
        }
        for (String id : new String[] {dbInstanceIdentifier, dbClusterIdentifier, restoreIdentifier}) {
            if (id != null && !RdsNames.valid(id, 63)) {
                out.add("'" + id + "' is not an RDS identifier: 1-63 letters, digits and hyphens, starting with a"
                        + " letter, no two hyphens in a row, not ending with a hyphen");
            }
        }
        if (restoreIdentifier != null && restoreIdentifier.equals(source())) {
            out.add("the restore identifier must differ from the live " + source() + ": RDS restores into a new"
                    + " instance or cluster");
        }
        for (String sg : securityGroupIds) {
            if (!sg.matches("sg-[0-9a-f]{8,17}")) {
                out.add("'" + sg + "' is not a VPC security group id (sg-0123456789abcdef0)");
            }
        }
        if (multiAz != null && dbClusterIdentifier != null) {
            out.add("'multiAz' applies to RDS instances; Aurora spreads storage across zones by itself");
        }
        if (pageSize < 20 || pageSize > 100) {
            out.add("page size must be between 20 and 100 (RDS MaxRecords), not " + pageSize);
        }
        return out;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    public boolean cluster() {
        return dbClusterIdentifier != null;
    }

    /** The live instance or cluster identifier. */
    public String source() {
        return cluster() ? dbClusterIdentifier : dbInstanceIdentifier;
    }

    public Map<String, String> extraTags() {
        return extraTags;
    }

    public Duration waitTimeout() {
        return waitTimeout;
    }

    public Duration restorableWaitTimeout() {
        return restorableWaitTimeout;
    }

    public int pageSize() {
        return pageSize;
    }

    public String restoreIdentifier() {
        return restoreIdentifier;
    }

    public String instanceClass() {
        return instanceClass;
    }

    public String subnetGroupName() {
        return subnetGroupName;
    }

    public List<String> securityGroupIds() {
        return securityGroupIds;
    }

    public String parameterGroupName() {
        return parameterGroupName;
    }

    public String clusterParameterGroupName() {
        return clusterParameterGroupName;
    }

    public Boolean multiAz() {
        return multiAz;
    }

    public static final class Builder {
        private String dbInstanceIdentifier;
        private String dbClusterIdentifier;
        private final Map<String, String> extraTags = new LinkedHashMap<>();
        private Duration waitTimeout = Duration.ofHours(6);
        private Duration restorableWaitTimeout = Duration.ofMinutes(20);
        private int pageSize = 100;
        private String restoreIdentifier;
        private String instanceClass;
        private String subnetGroupName;
        private final List<String> securityGroupIds = new ArrayList<>();
        private String parameterGroupName;
        private String clusterParameterGroupName;
        private Boolean multiAz;

        public Builder dbInstanceIdentifier(String id) {
            this.dbInstanceIdentifier = id;
            return this;
        }

        public Builder dbClusterIdentifier(String id) {
            this.dbClusterIdentifier = id;
            return this;
        }

        public Builder extraTags(Map<String, String> tags) {
            this.extraTags.putAll(tags);
            return this;
        }

        /** Longest wait for a snapshot, copy or restored database to become available (default 6 h). */
        public Builder waitTimeout(Duration d) {
            this.waitTimeout = d;
            return this;
        }

        /** Longest wait for LatestRestorableTime to pass the fence before a point-in-time restore (default 20 min). */
        public Builder restorableWaitTimeout(Duration d) {
            this.restorableWaitTimeout = d;
            return this;
        }

        public Builder pageSize(int n) {
            this.pageSize = n;
            return this;
        }

        /** Identifier of the restored instance/cluster; default {@code <source>-<restore point>}. */
        public Builder restoreIdentifier(String id) {
            this.restoreIdentifier = id;
            return this;
        }

        /** DB instance class of the restored instance (Aurora: of its writer); default: the source's class. */
        public Builder instanceClass(String c) {
            this.instanceClass = c;
            return this;
        }

        public Builder subnetGroupName(String n) {
            this.subnetGroupName = n;
            return this;
        }

        public Builder securityGroupIds(List<String> ids) {
            this.securityGroupIds.addAll(ids);
            return this;
        }

        public Builder parameterGroupName(String n) {
            this.parameterGroupName = n;
            return this;
        }

        public Builder clusterParameterGroupName(String n) {
            this.clusterParameterGroupName = n;
            return this;
        }

        public Builder multiAz(Boolean b) {
            this.multiAz = b;
            return this;
        }

        public RdsConfig build() {
            return new RdsConfig(this);
        }
    }
}
