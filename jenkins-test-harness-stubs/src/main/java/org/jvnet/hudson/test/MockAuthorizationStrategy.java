package org.jvnet.hudson.test;

import hudson.security.AuthorizationStrategy;
import hudson.security.Permission;

public class MockAuthorizationStrategy extends AuthorizationStrategy {
    public MockAuthorizationStrategy() {}

    public Grant grant(Permission... permissions) {
        throw new UnsupportedOperationException();
    }

    public Grant grantWithoutImplication(Permission... permissions) {
        throw new UnsupportedOperationException();
    }

    public class Grant {
        private Grant() {
            throw new UnsupportedOperationException();
        }

        public GrantOn everywhere() {
            throw new UnsupportedOperationException();
        }

        public GrantOn onRoot() {
            throw new UnsupportedOperationException();
        }

        public class GrantOn {
            private GrantOn() {
                throw new UnsupportedOperationException();
            }

            public MockAuthorizationStrategy to(String... sids) {
                throw new UnsupportedOperationException();
            }

            public MockAuthorizationStrategy toEveryone() {
                throw new UnsupportedOperationException();
            }

            public MockAuthorizationStrategy toAuthenticated() {
                throw new UnsupportedOperationException();
            }
        }
    }
}
