package io.jenkins.plugins.bbdc.core.backup;

import java.io.IOException;
import java.util.Optional;

/**
 * A {@link BackupStateSink} that can also give the last state back. With one, {@link BackupEngine#run()} first ends the
 * backup recorded there if it still holds something (a maintenance lock, snapshots of an unfinished restore point),
 * and never starts a new backup — never overwrites that state — while Bitbucket is still locked by it.
 */
public interface BackupStateStore extends BackupStateSink {

    /**
     * The last persisted state, if any.
     *
     * @throws IOException the state exists but cannot be read (truncated, corrupted): the message names it and says
     *                     what to do
     */
    Optional<BackupState> read() throws IOException;

    /** How a person reads the unlock token from this store (a shell expression), for manual instructions. */
    String unlockTokenExpression();
}
