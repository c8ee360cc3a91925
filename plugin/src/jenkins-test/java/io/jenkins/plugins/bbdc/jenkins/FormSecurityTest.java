package io.jenkins.plugins.bbdc.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import java.net.URL;
import java.util.List;
import jenkins.model.Jenkins;
import org.htmlunit.HttpMethod;
import org.htmlunit.Page;
import org.htmlunit.WebRequest;
import org.htmlunit.WebResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * The form methods of the global configuration cannot be used to probe URLs or enumerate credentials: GET is not
 * served at all, a user with Overall/Read alone is refused or told nothing, and an administrator gets real answers
 * (so the refusals above are not just broken methods).
 */
@WithJenkins
class FormSecurityTest {
    private static final String INSTANCE = "descriptorByName/io.jenkins.plugins.bbdc.jenkins.config.BitbucketInstance/";
    private static final String POSTGRES =
            "descriptorByName/io.jenkins.plugins.bbdc.jenkins.provider.PostgresDumpProvider/";
    /** Would reach the cloud metadata service if "Test connection" ever connected for the caller. */
    private static final String TEST_CONNECTION =
            INSTANCE + "testConnection?url=http://169.254.169.254/&credentialsId=no-such-entry";
    private static final String CHECK_CREDENTIALS = INSTANCE + "checkCredentialsId?value=no-such-entry";
    private static final String FILL_CREDENTIALS = INSTANCE + "fillCredentialsIdItems?credentialsId=";
    private static final String FILL_DB_CREDENTIALS = POSTGRES + "fillCredentialsIdItems?credentialsId=";
    private static final String EBS = "descriptorByName/io.jenkins.plugins.bbdc.jenkins.provider.EbsSnapshotProvider/";
    /** A provider's check of an id that does not exist, and of an entry of the wrong kind. */
    private static final String CHECK_DB_CREDENTIALS = POSTGRES + "checkCredentialsId?value=no-such-entry";
    private static final String CHECK_AWS_CREDENTIALS = EBS + "checkCredentialsId?value=bb-admin-entry";
    private static final String CLOUD_FORMATION =
            "descriptorByName/io.jenkins.plugins.bbdc.jenkins.upgrade.CloudFormationUpgrade/";
    private static final String CHECK_CF_CREDENTIALS = CLOUD_FORMATION + "checkCredentialsId?value=bb-admin-entry";
    private static final String CHECK_CF_REGION = CLOUD_FORMATION + "checkRegion?value=Ireland";
    private static final String FILL_CF_CREDENTIALS = CLOUD_FORMATION + "fillCredentialsIdItems?credentialsId=";
    private static final String PROVIDER_NOT_FOUND = "No credentials entry with ID";
    private static final String CREDENTIALS_ID = "bb-admin-entry";
    private static final String NOT_FOUND = "Could not find a credentials entry with ID";

    private JenkinsRule r;

    @BeforeEach
    void securedJenkinsWithOneCredentialsEntry(JenkinsRule r) throws Exception {
        this.r = r;
        r.jenkins.setSecurityRealm(r.createDummySecurityRealm());
        r.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.ADMINISTER).everywhere().to("admin")
                .grant(Jenkins.READ).everywhere().to("reader"));
        SystemCredentialsProvider.getInstance().getCredentials().add(new UsernamePasswordCredentialsImpl(
                CredentialsScope.GLOBAL, CREDENTIALS_ID, "Bitbucket admin", "jenkins-ops", "Bb-Ops-S3cret-4711"));
        SystemCredentialsProvider.getInstance().save();
    }

    @Test
    void getIsNotServedEvenForAnAdministrator() throws Exception {
        JenkinsRule.WebClient admin = client("admin");
        for (String path : List.of(TEST_CONNECTION, CHECK_CREDENTIALS, FILL_CREDENTIALS, FILL_DB_CREDENTIALS,
                CHECK_DB_CREDENTIALS, CHECK_AWS_CREDENTIALS, CHECK_CF_CREDENTIALS, CHECK_CF_REGION,
                FILL_CF_CREDENTIALS)) {
            assertEquals(404, request(admin, path, HttpMethod.GET).getStatusCode(), path);
        }
    }

    @Test
    void aReaderCannotTestConnectionsNorLearnCredentialsIds() throws Exception {
        JenkinsRule.WebClient reader = client("reader");
        assertEquals(403, request(reader, TEST_CONNECTION, HttpMethod.POST).getStatusCode());

        WebResponse check = request(reader, CHECK_CREDENTIALS, HttpMethod.POST);
        assertEquals(200, check.getStatusCode());
        assertFalse(check.getContentAsString().contains(NOT_FOUND), "a reader is not told which ids exist");

        for (String providerCheck : List.of(CHECK_DB_CREDENTIALS, CHECK_AWS_CREDENTIALS, CHECK_CF_CREDENTIALS)) {
            WebResponse answer = request(reader, providerCheck, HttpMethod.POST);
            assertEquals(200, answer.getStatusCode(), providerCheck);
            assertFalse(answer.getContentAsString().contains(PROVIDER_NOT_FOUND), providerCheck);
            assertFalse(answer.getContentAsString().contains("of the kind"), providerCheck);
        }

        assertFalse(request(reader, CHECK_CF_REGION, HttpMethod.POST).getContentAsString().contains("Ireland"),
                "a reader's field checks are not run");
        for (String fill : List.of(FILL_CREDENTIALS, FILL_DB_CREDENTIALS, FILL_CF_CREDENTIALS)) {
            WebResponse items = request(reader, fill, HttpMethod.POST);
            assertEquals(200, items.getStatusCode(), fill);
            assertFalse(items.getContentAsString().contains(CREDENTIALS_ID), fill + " lists no ids for a reader");
        }
    }

    @Test
    void anAdministratorGetsRealAnswers() throws Exception {
        JenkinsRule.WebClient admin = client("admin");
        WebResponse test = request(admin, TEST_CONNECTION, HttpMethod.POST);
        assertEquals(200, test.getStatusCode());
        assertTrue(test.getContentAsString().contains(NOT_FOUND), test.getContentAsString());

        WebResponse check = request(admin, CHECK_CREDENTIALS, HttpMethod.POST);
        assertTrue(check.getContentAsString().contains(NOT_FOUND), check.getContentAsString());

        String missing = request(admin, CHECK_DB_CREDENTIALS, HttpMethod.POST).getContentAsString();
        assertTrue(missing.contains(PROVIDER_NOT_FOUND), missing);
        // the entry exists but is a username/password entry: the AWS field says which kind it is, by its store name
        String wrongKind = request(admin, CHECK_AWS_CREDENTIALS, HttpMethod.POST).getContentAsString();
        assertTrue(wrongKind.contains("of the kind Username with password"), wrongKind);
        assertTrue(wrongKind.contains("AWS Credentials"), wrongKind);
        String cfWrongKind = request(admin, CHECK_CF_CREDENTIALS, HttpMethod.POST).getContentAsString();
        assertTrue(cfWrongKind.contains("of the kind Username with password"), cfWrongKind);
        String region = request(admin, CHECK_CF_REGION, HttpMethod.POST).getContentAsString();
        assertTrue(region.contains("'Ireland' is not an AWS region name"), region);

        for (String fill : List.of(FILL_CREDENTIALS, FILL_DB_CREDENTIALS)) {
            WebResponse items = request(admin, fill, HttpMethod.POST);
            assertTrue(items.getContentAsString().contains(CREDENTIALS_ID), fill + ": " + items.getContentAsString());
        }
    }

    private JenkinsRule.WebClient client(String user) throws Exception {
        return r.createWebClient().withThrowExceptionOnFailingStatusCode(false).login(user);
    }

    private WebResponse request(JenkinsRule.WebClient client, String path, HttpMethod method) throws Exception {
        WebRequest request = new WebRequest(new URL(r.getURL(), path), method);
        if (method == HttpMethod.POST) {
            client.addCrumb(request);
        }
        Page page = client.getPage(request);
        return page.getWebResponse();
    }
}
