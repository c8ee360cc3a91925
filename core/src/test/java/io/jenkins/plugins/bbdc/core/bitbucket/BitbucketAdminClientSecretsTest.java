package io.jenkins.plugins.bbdc.core.bitbucket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.bbdc.core.bitbucket.SimClients.RecordingSleeper;
import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rule 11: no password, unlock token, cancel token or access token in any exception message or log line, across
 * every kind of failure that involves them.
 */
class BitbucketAdminClientSecretsTest {
    private static final String PASSWORD = "Pa55w0rd-vault-7731";
    private static final String TOKEN = "MDk4NzY1NDMyMTpiZWFyZXJ0b2tlbnZhbHVl";

    private final RecordingSleeper sleeper = new RecordingSleeper();
    private final List<String> logLines = new CopyOnWriteArrayList<>();
    private final Logger logger = Logger.getLogger(BitbucketAdminClient.class.getName());
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            String text = record.getMessage();
            if (record.getParameters() != null) {
                text = new java.text.MessageFormat(text).format(record.getParameters());
            }
            logLines.add(text);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Level previousLevel;
    private BitbucketSimulator sim;

    @BeforeEach
    void captureLogs() {
        previousLevel = logger.getLevel();
        logger.setLevel(Level.ALL);
        logger.addHandler(capture);
        sim = BitbucketSimulator.builder().nodes(2).user("ops", PASSWORD, true).accessToken("ops", TOKEN).start();
    }

    @AfterEach
    void restore() {
        logger.removeHandler(capture);
        logger.setLevel(previousLevel);
        sim.close();
    }

    @Test
    void noSecretInAnyMessageOrLogLine() throws Exception {
        List<String> messages = new ArrayList<>();
        BitbucketAdminClient client = new BitbucketAdminClient(SimClients.options(sim, sleeper)
                .basicAuth("ops", PASSWORD).build());

        MaintenanceLock lock = client.lock();
        String cancelToken = client.startExternalBackup(lock);
        assertThat(lock.toString()).doesNotContain(lock.unlockToken());

        // a second lock: 409
        messages.add(failure(client::lock));
        // progress answered by an HTML page, with the unlock token in its query
        sim.faults().htmlLoginPageOnce("/mvc/admin/backups/progress/client");
        messages.add(failure(() -> client.reportProgress(lock, 40)));
        // progress failing with a server error, token in query
        sim.faults().failNext("/mvc/admin/backups/progress/client", 1, 500);
        messages.add(failure(() -> client.reportProgress(lock, 41)));
        // poll with the token in the header, answered slowly
        sim.faults().latency(Duration.ofMillis(400));
        BitbucketAdminClient impatient = new BitbucketAdminClient(SimClients.options(sim, sleeper)
                .basicAuth("ops", PASSWORD).readTimeout(Duration.ofMillis(100)).retryPolicy(RetryPolicy.NONE)
                .build());
        messages.add(failure(() -> impatient.maintenanceStatus(lock)));
        messages.add(failure(() -> impatient.unlock(lock)));
        sim.faults().latency(Duration.ZERO);
        SimClients.await("the slow unlock to have landed", () -> !sim.isLocked());
        // the lock is gone now: cancel and unlock with the old tokens are refused
        messages.add(failure(() -> client.cancelBackup(cancelToken)));
        // (an unlock refused while Bitbucket is RUNNING counts as done: make it fail while someone else locked it)
        sim.faults().lockHeldElsewhere(true);
        messages.add(failure(() -> client.unlock(lock)));
        sim.faults().lockHeldElsewhere(false);
        // wrong password for the same user, and the access token on admin endpoints
        BitbucketAdminClient wrong = new BitbucketAdminClient(SimClients.options(sim, sleeper)
                .basicAuth("ops", PASSWORD + "x").build());
        messages.add(failure(wrong::zduCluster));
        BitbucketAdminClient bearer = new BitbucketAdminClient(SimClients.options(sim, sleeper)
                .bearerToken(TOKEN).build());
        messages.add(failure(bearer::lock));
        messages.add(failure(bearer::zduCluster));

        List<String> secrets = List.of(PASSWORD, TOKEN, lock.unlockToken(), cancelToken,
                Base64.getEncoder().encodeToString(("ops:" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
        assertThat(messages).hasSize(10).allSatisfy(m -> assertThat(m).isNotBlank());
        for (String secret : secrets) {
            assertThat(messages).noneSatisfy(m -> assertThat(m).contains(secret));
            assertThat(logLines).noneSatisfy(m -> assertThat(m).contains(secret));
        }
        assertThat(logLines).isNotEmpty();
    }

    private interface Call {
        void run() throws Exception;
    }

    private static String failure(Call call) {
        Throwable[] caught = new Throwable[1];
        assertThatThrownBy(() -> {
            try {
                call.run();
            } catch (Exception e) {
                caught[0] = e;
                throw e;
            }
        }).isInstanceOf(BitbucketException.class);
        StringBuilder all = new StringBuilder();
        for (Throwable t = caught[0]; t != null; t = t.getCause()) {
            all.append(t).append('\n');
        }
        return all.toString();
    }
}
