package io.jenkins.plugins.bbdc.jenkins.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.AbortException;
import org.junit.jupiter.api.Test;

class InstanceLocksTest {

    @Test
    void aSecondOperationOnTheSameInstanceIsRefusedNamingTheHoldingBuild() throws Exception {
        InstanceLocks locks = new InstanceLocks();
        locks.acquire("prod", new InstanceLocks.Holder("a", "rolling upgrade", "ops/upgrade #7"));
        assertThatThrownBy(() -> locks.acquire("prod", new InstanceLocks.Holder("b", "backup", "ops/backup #93")))
                .isInstanceOf(AbortException.class)
                .hasMessageContaining("'prod'").hasMessageContaining("rolling upgrade")
                .hasMessageContaining("ops/upgrade #7").hasMessageContaining("this backup");
        locks.acquire("staging", new InstanceLocks.Holder("b", "backup", "ops/backup #93"));
        assertThat(locks.holder("staging").build()).isEqualTo("ops/backup #93");
    }

    @Test
    void theHolderMayTakeItAgainAfterARestartAndOthersOnlyAfterRelease() throws Exception {
        InstanceLocks locks = new InstanceLocks();
        locks.acquire("prod", new InstanceLocks.Holder("a", "backup", "ops/backup #1"));
        locks.acquire("prod", new InstanceLocks.Holder("a", "backup", "ops/backup #1"));
        locks.release("prod", "someone-else");
        assertThat(locks.holder("prod")).isNotNull();
        locks.release("prod", "a");
        locks.release("prod", "a");
        locks.acquire("prod", new InstanceLocks.Holder("b", "restore", "ops/restore #2"));
        assertThat(locks.holder("prod").ownerId()).isEqualTo("b");
    }
}
