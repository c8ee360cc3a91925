package io.jenkins.plugins.bbdc.jenkins.provider;

import edu.umd.cs.findbugs.annotations.CheckForNull;

/**
 * How the plugin reaches AWS from the controller, as every AWS setting carries it (the EBS, RDS and Aurora providers,
 * the CloudFormation rolling upgrade): the region, the Jenkins AWS credentials entry, a role to assume with its
 * external id, session name and duration, and an endpoint override. {@link AwsConnections} turns it into clients.
 */
public interface AwsConnection {
    /** One hour, the STS default and the engine's. */
    int DEFAULT_ROLE_SESSION_MINUTES = 60;

    @CheckForNull
    String getRegion();

    /** An AWS Credentials entry looked up as the build; null: the controller's default credential chain. */
    @CheckForNull
    String getCredentialsId();

    @CheckForNull
    String getRoleArn();

    @CheckForNull
    String getExternalId();

    /** Null: the build's name ({@code jenkins-<job>-<build>}). Only with {@link #getRoleArn()}. */
    @CheckForNull
    String getRoleSessionName();

    /** 15 … 720 minutes; only with {@link #getRoleArn()}. */
    int getRoleSessionDurationMinutes();

    @CheckForNull
    String getEndpointUrl();
}
