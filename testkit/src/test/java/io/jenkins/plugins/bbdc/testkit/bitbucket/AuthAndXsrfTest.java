package io.jenkins.plugins.bbdc.testkit.bitbucket;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;

import static io.jenkins.plugins.bbdc.testkit.bitbucket.SimHttp.errorMessage;
import static io.jenkins.plugins.bbdc.testkit.bitbucket.SimHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Section 2: Basic vs Bearer, sysadmin vs user, the errors body, and the XSRF rule on mutating /rest calls. */
class AuthAndXsrfTest {
    private static BitbucketSimulator sim;
    private static URI node;

    @BeforeAll
    static void startSimulator() {
        sim = BitbucketSimulator.builder().nodes(1).user("ops", "s3cret", true).accessToken("ops", "tok-123")
                .start();
        // One node, addressed directly: these answers do not depend on routing.
        node = sim.nodes().get(0).url();
    }

    @AfterAll
    static void closeSimulator() {
        sim.close();
    }

    @Test
    void wrongPasswordIs401WithTheErrorsBody() {
        HttpResponse<String> response = new SimHttp().as("admin", "wrong").get(node, "/rest/api/latest/admin/cluster");
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(errorMessage(response))
                .isEqualTo("Authentication failed. Please check your credentials and try again.");
        assertThat(json(response).get("errors").get(0).has("context")).isTrue();
        assertThat(new SimHttp().as("admin", "wrong").post(node, "/mvc/maintenance/lock").statusCode())
                .isEqualTo(401);
        assertThat(new SimHttp().as("admin", "wrong").get(node, "/rest/api/1.0/application-properties")
                .statusCode()).isEqualTo(401);
        assertThat(sim.isLocked()).isFalse();
    }

    @Test
    void anonymousMayReadTheVersionButNotAdminEndpoints() {
        SimHttp anonymous = new SimHttp().authorization(null);
        assertThat(anonymous.get(node, "/rest/api/1.0/application-properties").statusCode()).isEqualTo(200);
        assertThat(anonymous.get(node, "/rest/zdu/cluster").statusCode()).isEqualTo(401);
        assertThat(anonymous.post(node, "/mvc/maintenance/lock").statusCode()).isEqualTo(401);
    }

    @Test
    void nonSysadminGets403ExceptOnAdminClusterWhichSays401() {
        SimHttp user = new SimHttp().as("user", "user");
        assertThat(user.get(node, "/rest/zdu/cluster").statusCode()).isEqualTo(403);
        assertThat(user.post(node, "/mvc/maintenance/lock").statusCode()).isEqualTo(403);
        assertThat(user.get(node, "/rest/api/latest/admin/git/mesh/nodes").statusCode()).isEqualTo(403);
        HttpResponse<String> cluster = user.get(node, "/rest/api/latest/admin/cluster");
        assertThat(cluster.statusCode()).isEqualTo(401);
        assertThat(errorMessage(cluster)).contains("insufficient permissions to retrieve the cluster information");
        assertThat(user.get(node, "/rest/api/latest/projects").statusCode()).isEqualTo(200);
    }

    @Test
    void extraSysadminFromTheBuilderIsAccepted() {
        HttpResponse<String> response = new SimHttp().as("ops", "s3cret").get(node, "/rest/zdu/state");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(sim.calls("GET", "/rest/zdu/state")).last()
                .satisfies(call -> assertThat(call.user()).isEqualTo("ops"));
    }

    @Test
    void tokensAreRefusedOnAdminEndpointsWithAMessageAboutBasic() {
        SimHttp bearer = new SimHttp().authorization("Bearer tok-123");
        HttpResponse<String> zdu = bearer.get(node, "/rest/zdu/cluster");
        assertThat(zdu.statusCode()).isEqualTo(401);
        assertThat(errorMessage(zdu)).contains("admin endpoints need Basic");
        assertThat(bearer.post(node, "/mvc/maintenance/lock").statusCode()).isEqualTo(401);
        // As the password of a Basic header it is still a token.
        assertThat(new SimHttp().as("ops", "tok-123").get(node, "/rest/api/latest/admin/cluster").statusCode())
                .isEqualTo(401);
        // Non-admin endpoints accept it.
        assertThat(bearer.get(node, "/rest/api/latest/projects").statusCode()).isEqualTo(200);
        assertThat(new SimHttp().authorization("Bearer unknown").get(node, "/rest/api/latest/projects")
                .statusCode()).isEqualTo(401);
    }

    @Test
    void mutatingRestCallWithoutJsonOrNoCheckIsRejectedByXsrf() {
        SimHttp admin = new SimHttp();
        HttpResponse<String> bare = admin.send(node, "POST", "/rest/zdu/cancel");
        assertThat(bare.statusCode()).isEqualTo(403);
        assertThat(errorMessage(bare)).contains("XSRF");
        assertThat(admin.send(node, "POST", "/rest/zdu/cancel", "Content-Type", "text/plain").statusCode())
                .isEqualTo(403);
        // Either header is enough to pass the XSRF filter (cancel in STABLE then is a 409).
        assertThat(admin.send(node, "POST", "/rest/zdu/cancel", "Content-Type", "application/json").statusCode())
                .isEqualTo(409);
        assertThat(admin.send(node, "POST", "/rest/zdu/cancel", "X-Atlassian-Token", "no-check").statusCode())
                .isEqualTo(409);
        // A declared non-JSON type with the opt-out header passes XSRF but the resource only consumes JSON.
        assertThat(admin.send(node, "POST", "/rest/zdu/cancel", "X-Atlassian-Token", "no-check",
                "Content-Type", "text/plain").statusCode()).isEqualTo(415);
        assertThat(sim.calls("POST", "/rest/zdu/cancel")).first()
                .satisfies(call -> assertThat(call.xsrfHeader()).isNull());
    }

    @Test
    void xsrfEnforcementCanBeSwitchedOff() {
        sim.faults().enforceXsrf(false);
        try {
            assertThat(new SimHttp().send(node, "POST", "/rest/zdu/cancel").statusCode()).isEqualTo(409);
        } finally {
            sim.faults().enforceXsrf(true);
        }
    }

    @Test
    void mvcCallsNeedNoXsrfHeader() {
        SimHttp admin = new SimHttp();
        HttpResponse<String> lock = admin.send(node, "POST", "/mvc/maintenance/lock");
        assertThat(lock.statusCode()).isEqualTo(202);
        String token = json(lock).get("unlockToken").asText();
        assertThat(admin.send(node, "DELETE", "/mvc/maintenance/lock?token=" + token).statusCode()).isEqualTo(200);
    }
}
