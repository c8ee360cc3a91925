package io.jenkins.plugins.bbdc.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URL;
import org.htmlunit.FailingHttpStatusCodeException;
import org.htmlunit.HttpMethod;
import org.htmlunit.WebRequest;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;
import jenkins.model.Jenkins;

/** "Test connection" cannot be used to probe URLs: GET is not served, and a reader may not POST it. */
@WithJenkins
class FormSecurityTest {
    private static final String TEST_CONNECTION =
            "descriptorByName/io.jenkins.plugins.bbdc.jenkins.config.BitbucketInstance/testConnection"
                    + "?url=http://169.254.169.254/&credentialsId=x";

    @Test
    void testConnectionNeedsPostAndAdminister(JenkinsRule r) throws Exception {
        r.jenkins.setSecurityRealm(r.createDummySecurityRealm());
        r.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.ADMINISTER).everywhere().to("admin")
                .grant(Jenkins.READ).everywhere().to("reader"));

        JenkinsRule.WebClient reader = r.createWebClient().withThrowExceptionOnFailingStatusCode(false);
        reader.login("reader");
        WebRequest get = new WebRequest(new URL(r.getURL(), TEST_CONNECTION), HttpMethod.GET);
        assertEquals(404, reader.getPage(get).getWebResponse().getStatusCode());
        WebRequest post = new WebRequest(new URL(r.getURL(), TEST_CONNECTION), HttpMethod.POST);
        reader.addCrumb(post);
        assertEquals(403, reader.getPage(post).getWebResponse().getStatusCode());

        JenkinsRule.WebClient admin = r.createWebClient().withThrowExceptionOnFailingStatusCode(false);
        admin.login("admin");
        WebRequest adminPost = new WebRequest(new URL(r.getURL(), TEST_CONNECTION), HttpMethod.POST);
        admin.addCrumb(adminPost);
        assertEquals(200, admin.getPage(adminPost).getWebResponse().getStatusCode());
    }
}
