package io.jenkins.plugins.bbdc.bench;

import io.jenkins.plugins.bbdc.testkit.postgres.ThrowawayPostgres;

import java.sql.SQLException;

/**
 * Grows a PostgreSQL database to a target size with random, half-compressible rows (~550 bytes) spread over
 * {@link #TABLES} tables, so parallel dumps and restores (which work table by table) have something to share out.
 */
final class GeneratedDatabase {
    static final String TABLE = "bench_filler";
    static final int TABLES = 8;
    private static final String ROW;

    static {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            sb.append(i == 0 ? "" : " || ").append("md5(random()::text)");
        }
        ROW = sb.toString();
    }

    private GeneratedDatabase() {
    }

    static long size(ThrowawayPostgres pg, String db) throws SQLException {
        return pg.queryLong(db, "select pg_database_size(current_database())");
    }

    /** Inserts rows until the database is at least {@code bytes} large; returns the final size. */
    static long growTo(ThrowawayPostgres pg, String db, long bytes) throws SQLException {
        for (int i = 0; i < TABLES; i++) {
            pg.execute(db, "create table if not exists " + TABLE + "_" + i
                    + " (id bigserial primary key, payload text not null)");
        }
        long size = size(pg, db);
        int next = 0;
        while (size < bytes) {
            long rows = Math.max(1_000, Math.min(100_000, (bytes - size) / 600));
            pg.execute(db, "insert into " + TABLE + "_" + next + " (payload) select " + ROW
                    + " from generate_series(1, " + rows + ")");
            next = (next + 1) % TABLES;
            size = size(pg, db);
        }
        pg.execute(db, "vacuum analyze");
        return size(pg, db);
    }

    /** Rewrites 1% of the rows (a different 1% for each {@code round}). */
    static void changeOnePercent(ThrowawayPostgres pg, String db, int round) throws SQLException {
        for (int i = 0; i < TABLES; i++) {
            pg.execute(db, "update " + TABLE + "_" + i + " set payload = " + ROW + " where id % 100 = "
                    + Math.floorMod(round, 100));
        }
    }
}
