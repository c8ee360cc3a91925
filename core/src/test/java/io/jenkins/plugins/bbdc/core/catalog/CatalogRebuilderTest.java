package io.jenkins.plugins.bbdc.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.bbdc.core.backup.Components;
import io.jenkins.plugins.bbdc.core.exec.ProcessCommandRunner;
import io.jenkins.plugins.bbdc.core.provider.BackupMode;
import io.jenkins.plugins.bbdc.core.provider.CaptureRequest;
import io.jenkins.plugins.bbdc.core.provider.ComponentRole;
import io.jenkins.plugins.bbdc.core.provider.PreparedCapture;
import io.jenkins.plugins.bbdc.core.provider.ProviderContext;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePoint;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePointStatus;
import io.jenkins.plugins.bbdc.core.testsupport.DirectoryCopyProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogRebuilderTest {
    @TempDir
    Path tmp;

    @Test
    void lostCatalogIsRebuiltFromProviderListingsWithIncompletePointsMarkedPartial() throws Exception {
        Files.createDirectories(tmp.resolve("home"));
        Files.writeString(tmp.resolve("home/x.txt"), "home data");
        Files.createDirectories(tmp.resolve("db"));
        Files.writeString(tmp.resolve("db/dump"), "db data");
        DirectoryCopyProvider home = DirectoryCopyProvider.snapshotting("dircopy", tmp.resolve("home"), tmp.resolve("s1"));
        DirectoryCopyProvider db = DirectoryCopyProvider.snapshotting("dircopy-db", tmp.resolve("db"), tmp.resolve("s2"));
        ProviderContext ctx = new ProviderContext("prod", ComponentRole.HOME, BackupMode.ZERO_DOWNTIME,
                new ProcessCommandRunner(), null, null, null);
        // two full points, one with only the home (its database capture was lost), one of another instance
        capture(home, ctx, "20261121t100000z-aaaa", ComponentRole.HOME);
        capture(db, ctx, "20261121t100000z-aaaa", ComponentRole.DATABASE);
        capture(home, ctx, "20261121t110000z-bbbb", ComponentRole.HOME);
        capture(db, ctx, "20261121t110000z-bbbb", ComponentRole.DATABASE);
        capture(home, ctx, "20261121t120000z-cccc", ComponentRole.HOME);
        ProviderContext other = new ProviderContext("staging", ComponentRole.HOME, BackupMode.ZERO_DOWNTIME,
                new ProcessCommandRunner(), null, null, null);
        capture(home, other, "20261121t130000z-dddd", ComponentRole.HOME);

        FileCatalog catalog = new FileCatalog(tmp.resolve("catalog"));
        Components components = Components.builder().home(home).database(db).build();
        CatalogRebuilder.Report report = new CatalogRebuilder(catalog, components, ctx).rebuild();

        assertThat(report.created()).containsExactly("20261121t100000z-aaaa", "20261121t110000z-bbbb",
                "20261121t120000z-cccc");
        assertThat(report.partial()).containsExactly("20261121t120000z-cccc");
        RestorePoint b = catalog.find("prod", "20261121t110000z-bbbb").orElseThrow();
        assertThat(b.status()).isEqualTo(RestorePointStatus.COMPLETE);
        assertThat(b.components()).extracting(c -> c.role()).containsExactly("home", "database");
        assertThat(b.mode()).isEqualTo(BackupMode.ZERO_DOWNTIME);
        assertThat(b.fence()).isNotNull();
        RestorePoint c = catalog.find("prod", "20261121t120000z-cccc").orElseThrow();
        assertThat(c.status()).isEqualTo(RestorePointStatus.PARTIAL);
        assertThat(c.failureReason()).contains("database");
        assertThat(catalog.list("staging")).isEmpty();

        // a second rebuild leaves existing manifests alone
        CatalogRebuilder.Report again = new CatalogRebuilder(catalog, components, ctx).rebuild();
        assertThat(again.created()).isEmpty();
        assertThat(again.alreadyCatalogued()).hasSize(3);
    }

    @Test
    void aProviderThatCannotListAbortsTheRebuildWithoutWritingAnything() throws Exception {
        Files.createDirectories(tmp.resolve("home"));
        DirectoryCopyProvider home = DirectoryCopyProvider.snapshotting("dircopy", tmp.resolve("home"), tmp.resolve("s1"));
        DirectoryCopyProvider db = DirectoryCopyProvider.snapshotting("dircopy-db", tmp.resolve("home"), tmp.resolve("s2"));
        ProviderContext ctx = new ProviderContext("prod", ComponentRole.HOME, BackupMode.ZERO_DOWNTIME,
                new ProcessCommandRunner(), null, null, null);
        capture(home, ctx, "20261121t100000z-aaaa", ComponentRole.HOME);
        capture(db, ctx, "20261121t100000z-aaaa", ComponentRole.DATABASE);
        db.failList = "access denied";
        FileCatalog catalog = new FileCatalog(tmp.resolve("catalog"));
        assertThatThrownBy(() -> new CatalogRebuilder(catalog, Components.builder().home(home).database(db).build(),
                ctx).rebuild()).hasMessageContaining("nothing was written").hasMessageContaining("access denied");
        assertThat(catalog.list("prod")).isEmpty();
    }

    private static void capture(DirectoryCopyProvider p, ProviderContext ctx, String id, ComponentRole role)
            throws Exception {
        ProviderContext c = ctx.withRole(role);
        var ref = p.capture(PreparedCapture.none(), new CaptureRequest(id, c.instanceId(), role,
                BackupMode.ZERO_DOWNTIME), c);
        p.awaitDurable(PreparedCapture.none(), ref, c);
    }
}
