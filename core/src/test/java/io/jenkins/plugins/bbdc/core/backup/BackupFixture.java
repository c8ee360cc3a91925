package io.jenkins.plugins.bbdc.core.backup;

import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketAdmin;
import io.jenkins.plugins.bbdc.core.catalog.FileCatalog;
import io.jenkins.plugins.bbdc.core.event.EventSink;
import io.jenkins.plugins.bbdc.core.exec.ProcessCommandRunner;
import io.jenkins.plugins.bbdc.core.provider.BackupMode;
import io.jenkins.plugins.bbdc.core.testsupport.DirectoryCopyProvider;
import io.jenkins.plugins.bbdc.core.time.Sleeper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Real directories, real copy providers (home, one Mesh home, database) and a catalog, for engine tests. */
final class BackupFixture {
    final Path root;
    final DirectoryCopyProvider home;
    final DirectoryCopyProvider mesh;
    final DirectoryCopyProvider db;
    final FileCatalog catalog;
    final EventSink.Collecting events = new EventSink.Collecting();
    final List<BackupState> states = new CopyOnWriteArrayList<>();

    BackupFixture(Path root) throws IOException {
        this(root, false);
    }

    BackupFixture(Path root, boolean homeIsRsyncLike) throws IOException {
        this.root = root;
        for (String d : List.of("src/home", "src/mesh", "src/db")) {
            Files.createDirectories(root.resolve(d));
            Files.writeString(root.resolve(d).resolve("data.txt"), "content of " + d);
        }
        home = homeIsRsyncLike
                ? DirectoryCopyProvider.lockedOnly("rsync-like", root.resolve("src/home"), root.resolve("store/home"))
                : DirectoryCopyProvider.snapshotting("dircopy", root.resolve("src/home"), root.resolve("store/home"));
        mesh = DirectoryCopyProvider.snapshotting("dircopy", root.resolve("src/mesh"), root.resolve("store/mesh"));
        db = DirectoryCopyProvider.snapshotting("dircopy-db", root.resolve("src/db"), root.resolve("store/db"));
        catalog = new FileCatalog(root.resolve("catalog"));
    }

    Components components() {
        return Components.builder().home(home).meshHome("mesh-1", mesh).database(db).build();
    }

    BackupConfig config(BackupMode mode) {
        return BackupConfig.of("prod", components(), mode).withDrain(Duration.ofMillis(20), Duration.ofSeconds(5));
    }

    BackupEngine engine(BackupConfig config, BitbucketAdmin admin) {
        return engine(config, admin, Clock.systemUTC(), Sleeper.SYSTEM, states::add);
    }

    BackupEngine engine(BackupConfig config, BitbucketAdmin admin, Clock clock, Sleeper sleeper, BackupStateSink sink) {
        return new BackupEngine(config, admin, catalog, new ProcessCommandRunner(), clock, sleeper, events, sink);
    }

    /** Every snapshot directory left in any store. */
    List<String> storedSnapshots() {
        List<String> all = new java.util.ArrayList<>();
        all.addAll(home.storedSnapshots());
        all.addAll(mesh.storedSnapshots());
        all.addAll(db.storedSnapshots());
        return all;
    }

    int closes() {
        return home.closes.get() + mesh.closes.get() + db.closes.get();
    }

    int prepares() {
        return home.prepares.get() + mesh.prepares.get() + db.prepares.get();
    }
}
