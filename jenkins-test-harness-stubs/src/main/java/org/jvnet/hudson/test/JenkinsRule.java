package org.jvnet.hudson.test;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Item;
import hudson.model.Job;
import hudson.model.Queue;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TopLevelItem;
import hudson.security.SecurityRealm;
import hudson.slaves.DumbSlave;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.util.List;
import java.util.concurrent.Future;
import jenkins.model.Jenkins;
import jenkins.model.ParameterizedJobMixIn;
import org.htmlunit.FailingHttpStatusCodeException;
import org.htmlunit.Page;
import org.htmlunit.WebRequest;
import org.htmlunit.html.HtmlPage;
import org.xml.sax.SAXException;

/** Left out: the JUnit 4 supertypes TestRule, MethodRule and RootAction (compile-checked tests are JUnit 5). */
public class JenkinsRule {
    public Jenkins jenkins;

    public <T extends TopLevelItem> T createProject(Class<T> type, String name) throws IOException {
        throw new UnsupportedOperationException();
    }

    public <T extends TopLevelItem> T createProject(Class<T> type) throws IOException {
        throw new UnsupportedOperationException();
    }

    public FreeStyleProject createFreeStyleProject() throws IOException {
        throw new UnsupportedOperationException();
    }

    public FreeStyleProject createFreeStyleProject(String name) throws IOException {
        throw new UnsupportedOperationException();
    }

    public DummySecurityRealm createDummySecurityRealm() {
        throw new UnsupportedOperationException();
    }

    /** Left out: the real direct superclass AbstractPasswordBasedSecurityRealm. */
    public static class DummySecurityRealm extends SecurityRealm {
        DummySecurityRealm() {
            throw new UnsupportedOperationException();
        }
    }

    public URL getURL() throws IOException {
        throw new UnsupportedOperationException();
    }

    @NonNull
    public DumbSlave createOnlineSlave() throws Exception {
        throw new UnsupportedOperationException();
    }

    public void configRoundtrip() throws Exception {
        throw new UnsupportedOperationException();
    }

    /** Left out: the overloads for Builder, Publisher, ComputerConnector, User, Node, View and Cloud. */
    public <P extends Item> P configRoundtrip(P job) throws Exception {
        throw new UnsupportedOperationException();
    }

    @SuppressWarnings("rawtypes")
    public <R extends Run> R assertBuildStatus(Result status, R r) throws Exception {
        throw new UnsupportedOperationException();
    }

    @SuppressWarnings("rawtypes")
    public <R extends Run> R assertBuildStatus(Result status, Future<? extends R> r) throws Exception {
        throw new UnsupportedOperationException();
    }

    @SuppressWarnings("rawtypes")
    public <R extends Run> R assertBuildStatusSuccess(R r) throws Exception {
        throw new UnsupportedOperationException();
    }

    @SuppressWarnings("rawtypes")
    public <R extends Run> R assertBuildStatusSuccess(Future<? extends R> r) throws Exception {
        throw new UnsupportedOperationException();
    }

    @NonNull
    public <J extends Job<J, R> & ParameterizedJobMixIn.ParameterizedJob<J, R>, R extends Run<J, R> & Queue.Executable>
            R buildAndAssertSuccess(@NonNull J job) throws Exception {
        throw new UnsupportedOperationException();
    }

    @NonNull
    public <J extends Job<J, R> & ParameterizedJobMixIn.ParameterizedJob<J, R>, R extends Run<J, R> & Queue.Executable>
            R buildAndAssertStatus(@NonNull Result status, @NonNull J job) throws Exception {
        throw new UnsupportedOperationException();
    }

    @NonNull
    public FreeStyleBuild buildAndAssertSuccess(@NonNull FreeStyleProject job) throws Exception {
        throw new UnsupportedOperationException();
    }

    @SuppressWarnings("rawtypes")
    public void assertLogContains(String substring, Run run) throws IOException {
        throw new UnsupportedOperationException();
    }

    @SuppressWarnings("rawtypes")
    public void assertLogNotContains(String substring, Run run) throws IOException {
        throw new UnsupportedOperationException();
    }

    @SuppressWarnings("rawtypes")
    public static String getLog(Run run) throws IOException {
        throw new UnsupportedOperationException();
    }

    public <R extends Run<?, ?>> R waitForCompletion(R r) throws InterruptedException {
        throw new UnsupportedOperationException();
    }

    public void assertEqualDataBoundBeans(Object lhs, Object rhs)
            throws InvocationTargetException, NoSuchMethodException, IllegalAccessException {
        throw new UnsupportedOperationException();
    }

    public void assertEqualDataBoundBeans(List<?> lhs, List<?> rhs) throws Exception {
        throw new UnsupportedOperationException();
    }

    public WebClient createWebClient() {
        throw new UnsupportedOperationException();
    }

    public class WebClient extends org.htmlunit.WebClient {
        private static final long serialVersionUID = -7944895389154288881L;

        public WebClient() {
            throw new UnsupportedOperationException();
        }

        public WebClient login(String username, String password) throws Exception {
            throw new UnsupportedOperationException();
        }

        public WebClient login(String username) throws Exception {
            throw new UnsupportedOperationException();
        }

        public WebClient withThrowExceptionOnFailingStatusCode(boolean enabled) {
            throw new UnsupportedOperationException();
        }

        @Deprecated
        @SuppressWarnings("unchecked")
        @Override
        public Page getPage(String url) throws IOException, FailingHttpStatusCodeException {
            throw new UnsupportedOperationException();
        }

        public HtmlPage goTo(String relative) throws IOException, SAXException {
            throw new UnsupportedOperationException();
        }

        public WebRequest addCrumb(WebRequest req) {
            throw new UnsupportedOperationException();
        }
    }
}
