package io.jenkins.plugins.bbdc.testkit.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Raw Query-protocol requests: routing by signing scope, envelopes of success and error replies. */
class AwsEndpointProtocolTest {
    private AwsEndpoint aws;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        aws = AwsEndpoint.start(1);
    }

    @AfterEach
    void stop() {
        aws.close();
    }

    private HttpResponse<String> post(String service, String region, String form) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(aws.url() + "/"))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (service != null) {
            b.header("Authorization", "AWS4-HMAC-SHA256 Credential=AKIARAW/20261121/" + region + "/" + service
                    + "/aws4_request, SignedHeaders=host;x-amz-date, Signature=0123");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void unsignedRequestsAreRefused() throws Exception {
        HttpResponse<String> r = post(null, null, "Action=DescribeSnapshots&Version=2016-11-15");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("<Code>MissingAuthenticationToken</Code>");
        assertThat(aws.calls()).singleElement().satisfies(c -> assertThat(c.succeeded()).isFalse());
    }

    @Test
    void ec2RepliesInItsNamespaceAndErrorEnvelope() throws Exception {
        String volume = aws.ec2().addVolume("eu-west-1", "eu-west-1b", 10, "gp3");
        HttpResponse<String> ok = post("ec2", "eu-west-1", "Action=CreateSnapshot&Version=2016-11-15&VolumeId="
                + volume + "&TagSpecification.1.ResourceType=snapshot&TagSpecification.1.Tag.1.Key=k"
                + "&TagSpecification.1.Tag.1.Value=v");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).contains("<CreateSnapshotResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">")
                .contains("<requestId>").contains("<status>pending</status>")
                .contains("<tagSet><item><key>k</key><value>v</value></item></tagSet>");
        assertThat(aws.ec2().snapshots("us-east-1")).as("regions are separate").isEmpty();

        HttpResponse<String> missing = post("ec2", "eu-west-1",
                "Action=DeleteSnapshot&Version=2016-11-15&SnapshotId=snap-0123456789abcdef0");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body()).contains("<Response><Errors><Error><Code>InvalidSnapshot.NotFound</Code>")
                .contains("<RequestID>");

        aws.faults().throttle(1.0);
        HttpResponse<String> throttled = post("ec2", "eu-west-1", "Action=DescribeVolumes&Version=2016-11-15");
        assertThat(throttled.statusCode()).isEqualTo(503);
        assertThat(throttled.body()).contains("<Code>RequestLimitExceeded</Code>");
    }

    @Test
    void rdsRepliesWithResultWrapperAndTypedErrors() throws Exception {
        aws.rds().addInstance("eu-west-1", "db1", "db.t4g.micro", 1);
        HttpResponse<String> ok = post("rds", "eu-west-1", "Action=CreateDBSnapshot&Version=2014-10-31"
                + "&DBInstanceIdentifier=db1&DBSnapshotIdentifier=s1&Tags.Tag.1.Key=a&Tags.Tag.1.Value=b");
        assertThat(ok.body()).contains("<CreateDBSnapshotResponse xmlns=\"http://rds.amazonaws.com/doc/2014-10-31/\">")
                .contains("<CreateDBSnapshotResult><DBSnapshot><DBSnapshotIdentifier>s1</DBSnapshotIdentifier>")
                .contains("<TagList><Tag><Key>a</Key><Value>b</Value></Tag></TagList>")
                .contains("<ResponseMetadata><RequestId>");

        HttpResponse<String> dup = post("rds", "eu-west-1", "Action=CreateDBSnapshot&Version=2014-10-31"
                + "&DBInstanceIdentifier=db1&DBSnapshotIdentifier=s1");
        assertThat(dup.statusCode()).isEqualTo(400);
        assertThat(dup.body()).contains("<ErrorResponse").contains("<Type>Sender</Type>")
                .contains("<Code>DBSnapshotAlreadyExists</Code>");

        HttpResponse<String> gone = post("rds", "eu-west-1", "Action=DescribeDBInstances&Version=2014-10-31"
                + "&DBInstanceIdentifier=nope");
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(gone.body()).contains("<Code>DBInstanceNotFound</Code>");
    }
}
