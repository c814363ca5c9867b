package dev.deepscope.runs;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A run as the table holds it, read straight from a stopped app's embedded database (started here on its
 * data directory, without the app), so a test sees what the app recorded before it stopped and not what
 * its next start would add.
 */
record StoredRun(String status, String lastEventType, String lastEventData) {

    static StoredRun read(Path dataDir, String runId) throws IOException, SQLException {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir.resolve("postgres"))
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false)
                .start();
             Connection connection = postgres.getPostgresDatabase().getConnection();
             PreparedStatement query = connection.prepareStatement("""
                     select r.status, e.type, e.data::text from runs r
                     left join lateral (select type, data from run_events where run_id = r.id order by seq desc limit 1) e
                         on true
                     where r.id = ?""")) {
            query.setString(1, runId);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    throw new AssertionError("run " + runId + " is not in the table");
                }
                return new StoredRun(row.getString(1), row.getString(2), row.getString(3));
            }
        }
    }
}
