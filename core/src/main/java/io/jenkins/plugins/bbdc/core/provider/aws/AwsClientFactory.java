package io.jenkins.plugins.bbdc.core.provider.aws;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.apache.ProxyConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * Builds AWS SDK clients from {@link AwsSettings}: one Apache HTTP client with explicit timeouts (and proxy), one
 * credentials provider, clients cached per region. SDK-level retries are off: {@link AwsCalls} retries with the
 * project's own back-off so that throttling is visible, bounded and uses the injected sleeper.
 *
 * <p>Every client, STS included, is handed that HTTP client, so the SDK never has to find an implementation by a
 * service lookup ("Class loading" in docs/architecture.md).
 */
public final class AwsClientFactory implements AutoCloseable {
    private final AwsSettings settings;
    private final SdkHttpClient http;
    private final AwsCredentialsProvider credentials;
    private final Map<String, SdkAutoCloseable> clients = new ConcurrentHashMap<>();

    /** @throws IllegalArgumentException naming every problem of the settings (a missing region first of all) */
    public AwsClientFactory(AwsSettings settings) {
        List<String> problems = settings.problems();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("AWS configuration: " + String.join("; ", problems));
        }
        this.settings = settings;
        ApacheHttpClient.Builder hb = ApacheHttpClient.builder()
                .connectionTimeout(settings.connectTimeout())
                .socketTimeout(settings.socketTimeout())
                .connectionAcquisitionTimeout(settings.connectTimeout());
        if (settings.proxy() != null) {
            hb.proxyConfiguration(ProxyConfiguration.builder().endpoint(settings.proxy())
                    .username(settings.proxyUsername()).password(settings.proxyPassword())
                    .nonProxyHosts(settings.nonProxyHosts())
                    .useSystemPropertyValues(false).useEnvironmentVariableValues(false).build());
        }
        this.http = hb.build();
        this.credentials = provider(settings.credentials());
    }

    public AwsSettings settings() {
        return settings;
    }

    /** Who signs the calls, as messages name it (a key id or role ARN, never a secret). */
    public String principal() {
        return AwsTags.principal(settings.credentials());
    }

    /** The configured region. */
    public String region() {
        return settings.region();
    }

    public Ec2Client ec2(String region) {
        return (Ec2Client) clients.computeIfAbsent("ec2/" + checked(region),
                k -> configure(Ec2Client.builder(), region).build());
    }

    public RdsClient rds(String region) {
        return (RdsClient) clients.computeIfAbsent("rds/" + checked(region),
                k -> configure(RdsClient.builder(), region).build());
    }

    public AutoScalingClient autoScaling(String region) {
        return (AutoScalingClient) clients.computeIfAbsent("autoscaling/" + checked(region),
                k -> configure(AutoScalingClient.builder(), region).build());
    }

    public CloudFormationClient cloudFormation(String region) {
        return (CloudFormationClient) clients.computeIfAbsent("cloudformation/" + checked(region),
                k -> configure(CloudFormationClient.builder(), region).build());
    }

    private static String checked(String region) {
        if (!AwsSettings.validRegion(region)) {
            throw new IllegalArgumentException("'" + region + "' is not an AWS region name (for example eu-west-1)");
        }
        return region;
    }

    private <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(B builder, String region) {
        builder.region(Region.of(region)).credentialsProvider(credentials)
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(AwsRetryStrategy.doNotRetry()).build());
        if (settings.endpointOverride() != null) {
            builder.endpointOverride(settings.endpointOverride());
        }
        builder.httpClient(http); // the SDK never closes a client it was given; close() does
        return builder;
    }

    private AwsCredentialsProvider provider(AwsCredentialsConfig c) {
        return switch (c.kind()) {
            case DEFAULT_CHAIN -> DefaultCredentialsProvider.builder().build();
            case PROVIDED -> c.provider();
            case STATIC -> StaticCredentialsProvider.create(c.sessionToken() == null
                    ? AwsBasicCredentials.create(c.accessKeyId(), c.secretAccessKey())
                    : AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken()));
            case ASSUME_ROLE -> {
                software.amazon.awssdk.services.sts.StsClientBuilder sb = StsClient.builder().region(Region.of(settings.region()))
                        .credentialsProvider(provider(c.base())).httpClient(http);
                if (settings.endpointOverride() != null) {
                    sb.endpointOverride(settings.endpointOverride());
                }
                StsClient sts = sb.build();
                clients.put("sts/" + c.roleArn() + "/" + clients.size(), sts);
                yield StsAssumeRoleCredentialsProvider.builder().stsClient(sts).asyncCredentialUpdateEnabled(false)
                        .prefetchTime(c.renewAhead()).staleTime(c.renewBlockingAhead())
                        .refreshRequest(r -> r.roleArn(c.roleArn()).roleSessionName(c.sessionName())
                                .externalId(c.externalId())
                                .durationSeconds((int) c.sessionDuration().toSeconds()))
                        .build();
            }
        };
    }

    @Override
    public void close() {
        clients.values().forEach(SdkAutoCloseable::close);
        clients.clear();
        if (settings.credentials().kind() != AwsCredentialsConfig.Kind.PROVIDED
                && credentials instanceof SdkAutoCloseable closeable) { // the caller owns a provided one
            closeable.close();
        }
        http.close();
    }
}
