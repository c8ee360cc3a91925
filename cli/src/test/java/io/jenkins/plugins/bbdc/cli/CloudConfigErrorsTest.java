package io.jenkins.plugins.bbdc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Black-box: mistakes in the cloud provider and proxy sections stop {@code bbdc-ops plan} with exit code 2 before any
 * call, naming the key path and what to do, and never echoing a secret.
 */
class CloudConfigErrorsTest {
    private static final String INSTANCE = """
            instance:
              id: prod
              url: https://bitbucket.example.com
              username: admin
              password: {env: BBDC_TEST_PASSWORD}
            """;

    @TempDir
    Path tmp;

    private CliTestSupport.Run plan(String yaml) throws Exception {
        Path f = tmp.resolve("bbdc-ops.yaml");
        Files.writeString(f, INSTANCE + yaml);
        CliTestSupport.Run r = CliTestSupport.run("plan", "--config", f.toString());
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.USAGE);
        return r;
    }

    @Test
    void anUnknownProviderKeyIsNamedWithItsPathAndTheKeysThatExist() throws Exception {
        CliTestSupport.Run r = plan("""
                backup:
                  home: {ebs: {region: eu-west-1, volumeId: vol-0123456789abcdef0,
                               restore: {mountPoint: /srv/bitbucket}}}
                """);
        assertThat(r.err()).contains("backup.home.ebs.restore.mountPoint: unknown key; expected one of")
                .contains("devices");

        CliTestSupport.Run r2 = plan("""
                backup:
                  home: {btrfs: {subvolume: /srv/bb, snapshotDir: /srv/.snap}}
                  search: {openSearch: {url: "https://search.internal:9200", index: bitbucket-search-v1}}
                """);
        assertThat(r2.err()).contains("backup.search.openSearch.index: unknown key").contains("indices");
    }

    @Test
    void aMissingRegionIsRequiredAndNeverDefaulted() throws Exception {
        String btrfsHome = "  home: {btrfs: {subvolume: /srv/bb, snapshotDir: /srv/.snap}}\n";
        CliTestSupport.Run ebs = plan("backup:\n  home: {ebs: {volumeId: vol-0123456789abcdef0}}\n");
        assertThat(ebs.err()).contains("backup.home.ebs.region: required: the AWS region").contains("never guessed")
                .doesNotContain("us-east-1");
        CliTestSupport.Run rds = plan("backup:\n" + btrfsHome + "  database: {rds: {dbInstanceIdentifier: bb-db}}\n");
        assertThat(rds.err()).contains("backup.database.rds.region: required").doesNotContain("us-east-1");
        CliTestSupport.Run aurora = plan("backup:\n" + btrfsHome
                + "  database: {aurora: {dbClusterIdentifier: bb-aurora}}\n");
        assertThat(aurora.err()).contains("backup.database.aurora.region: required").doesNotContain("us-east-1");
        CliTestSupport.Run blank = plan("backup:\n  home: {ebs: {region: \"\", volumeId: vol-0123456789abcdef0}}\n");
        assertThat(blank.err()).contains("backup.home.ebs").contains("the AWS region is not set")
                .doesNotContain("us-east-1");
    }

    @Test
    void literalSecretsAreRefusedWithoutEchoingThem() throws Exception {
        CliTestSupport.Run proxy = plan("""
                proxy: {url: "http://proxy.example.com:3128", username: svc, password: Pr0xy-Literal-S3cret}
                backup:
                  home: {btrfs: {subvolume: /srv/bb, snapshotDir: /srv/.snap}}
                """);
        assertThat(proxy.err()).contains("proxy.password").contains("{env: VARIABLE}")
                .doesNotContain("Pr0xy-Literal-S3cret");
        assertThat(proxy.out()).doesNotContain("Pr0xy-Literal-S3cret");

        CliTestSupport.Run aws = plan("""
                backup:
                  home: {ebs: {region: eu-west-1, volumeId: vol-0123456789abcdef0,
                               credentials: {accessKeyId: AKIALITERAL00000001, secretAccessKey: Aws-Literal-S3cret}}}
                """);
        assertThat(aws.err()).contains("backup.home.ebs.credentials.accessKeyId").contains("never literally")
                .doesNotContain("AKIALITERAL00000001").doesNotContain("Aws-Literal-S3cret");

        CliTestSupport.Run search = plan("""
                backup:
                  home: {btrfs: {subvolume: /srv/bb, snapshotDir: /srv/.snap}}
                  search: {openSearch: {url: "https://search.internal:9200", apiKey: Search-Literal-Key}}
                """);
        assertThat(search.err()).contains("backup.search.openSearch.apiKey").doesNotContain("Search-Literal-Key");

        CliTestSupport.Run inUrl = plan("""
                proxy: {url: "http://svc:Url-Literal-S3cret@proxy.example.com:3128"}
                backup:
                  home: {btrfs: {subvolume: /srv/bb, snapshotDir: /srv/.snap}}
                """);
        assertThat(inUrl.err()).contains("proxy.url: must not contain a user name or password")
                .doesNotContain("Url-Literal-S3cret");
    }

    @Test
    void anUnusableProxySectionSaysWhatIsExpected() throws Exception {
        String home = "backup:\n  home: {btrfs: {subvolume: /srv/bb, snapshotDir: /srv/.snap}}\n";
        assertThat(plan("proxy: {url: \"https://proxy.example.com:3128\"}\n" + home).err())
                .contains("proxy.url: 'https://proxy.example.com:3128' is not a proxy URL: expected http://host:port");
        assertThat(plan("proxy: {url: \"http://proxy.example.com\"}\n" + home).err())
                .contains("proxy.url").contains("expected http://host:port");
        assertThat(plan("proxy: {url: \"http://proxy.example.com:3128\", noProxyHosts: [\".*\\\\.internal\"]}\n"
                + home).err()).contains("proxy.noProxyHosts[0]").contains("is not a host name pattern")
                .contains("*.internal");
        assertThat(plan("proxy: {url: \"http://proxy.example.com:3128\", password: {env: X}}\n" + home).err())
                .contains("proxy.password: only meaningful with username");
        assertThat(plan("proxy: {url: \"http://proxy.example.com:3128\", username: svc}\n" + home).err())
                .contains("proxy.password: required");
    }

    @Test
    void keysThatWouldBeIgnoredAreRefused() throws Exception {
        assertThat(plan("""
                backup:
                  home: {ebs: {region: eu-west-1, volumeId: vol-0123456789abcdef0,
                               credentials: {sessionName: nightly}}}
                """).err()).contains("backup.home.ebs.credentials.sessionName: only meaningful with roleArn");

        assertThat(plan("""
                backup:
                  home: {btrfs: {subvolume: /srv/bb, snapshotDir: /srv/.snap}}
                  search: {openSearch: {url: "https://search.internal:9200", username: bbdc,
                                        password: {env: OS_PW}, apiKey: {env: OS_KEY}}}
                """).err()).contains("backup.search.openSearch.apiKey: give either username and password or apiKey");

        assertThat(plan("""
                backup:
                  home: {ebs: {region: eu-west-1, volumeId: vol-0123456789abcdef0,
                               restore: {multiAz: true}}}
                """).err()).contains("backup.home.ebs.restore.multiAz: unknown key");

        assertThat(plan("""
                backup:
                  home: {btrfs: {subvolume: /srv/bb, snapshotDir: /srv/.snap}}
                  database: {aurora: {region: eu-west-1, dbClusterIdentifier: bitbucket-aurora,
                                      restore: {multiAz: true}}}
                """).err()).contains("backup.database.aurora.restore.multiAz: unknown key");
    }

    @Test
    void restoreDevicesAndPageSizesAreChecked() throws Exception {
        assertThat(plan("""
                backup:
                  home: {ebs: {region: eu-west-1, volumeId: vol-0123456789abcdef0,
                               restore: {devices: {xvdf: {mountPoint: /srv/bitbucket}}}}}
                """).err()).contains("backup.home.ebs.restore.devices.xvdf: 'xvdf' is not an EC2 device name");
        assertThat(plan("""
                backup:
                  home: {ebs: {region: eu-west-1, volumeId: vol-0123456789abcdef0,
                               restore: {devices: {/dev/xvdf: {mountPoint: srv/bitbucket}}}}}
                """).err()).contains("backup.home.ebs.restore.devices./dev/xvdf.mountPoint: 'srv/bitbucket' is not an"
                + " absolute path");
        assertThat(plan("""
                backup:
                  home: {ebs: {region: eu-west-1, volumeId: vol-0123456789abcdef0, pageSize: 2000}}
                """).err()).contains("backup.home.ebs").contains("page size must be between 5 and 1000");
        assertThat(plan("""
                backup:
                  home: {btrfs: {subvolume: /srv/bb, snapshotDir: /srv/.snap}}
                  database: {rds: {region: eu-west-1, dbInstanceIdentifier: bitbucket-db, pageSize: many}}
                """).err()).contains("backup.database.rds.pageSize: expected a whole number");
    }
}
