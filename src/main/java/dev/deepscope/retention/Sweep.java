package dev.deepscope.retention;

import java.sql.Timestamp;
import java.time.Instant;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The sweeper's statements, on the one connection that holds the sweep lock. Each removes at most one batch
 * of runs in one statement (its own transaction, so locks last milliseconds): it picks finished runs from the
 * oldest use ({@code for update skip locked}, never waiting for a run someone is writing), deletes them (their
 * events go by cascade) and leaves a tombstone for each, and answers how many runs and bytes went.
 */
final class Sweep {

    /** Runs and the bytes they stored, removed by one statement. */
    record Removed(int runs, long bytes) {
    }

    private static final String REMOVE = """
            with doomed as (%s),
            gone as (delete from runs r using doomed d where r.id = d.id and r.status <> 'running'
                     returning r.id, r.used_at, r.shared_at, r.stored_bytes),
            kept as (insert into expired_runs (id, expired_at, reason, last_used_at, shared)
                     select id, :now, :reason, used_at, shared_at is not null from gone on conflict (id) do nothing)
            select count(*) as runs, coalesce(sum(stored_bytes), 0) as bytes from gone""";

    private final JdbcClient jdbc;
    private final int batch;

    Sweep(JdbcClient jdbc, int batch) {
        this.jdbc = jdbc;
        this.batch = batch;
    }

    /** Finished runs nobody but their owner opened, last used before {@code cutoff} (now − max-age). */
    Removed unsharedOlderThan(Instant cutoff, Instant now) {
        return remove("""
                select id from runs where status <> 'running' and shared_at is null and used_at < :cutoff
                order by used_at limit :batch for update skip locked""", cutoff, now, Expiry.AGE);
    }

    /** Every finished run last used before {@code cutoff} (now − shared-max-age), shared or not. */
    Removed olderThan(Instant cutoff, Instant now) {
        return remove("""
                select id from runs where status <> 'running' and used_at < :cutoff
                order by used_at, id limit :batch for update skip locked""", cutoff, now, Expiry.AGE);
    }

    /**
     * The least recently used finished runs whose bytes together just cover {@code excess}: a run is taken while
     * the runs before it in the batch have freed less than the excess, so the store ends just under its cap.
     */
    Removed leastRecentlyUsed(long excess, Instant now) {
        return jdbc.sql(REMOVE.formatted("""
                        select id from (
                            select id, stored_bytes, sum(stored_bytes) over (order by used_at, id) as upto
                            from (select id, stored_bytes, used_at from runs where status <> 'running'
                                  order by used_at, id limit :batch for update skip locked) oldest) o
                        where upto - stored_bytes < :excess"""))
                .param("batch", batch).param("excess", excess)
                .param("now", Timestamp.from(now)).param("reason", Expiry.SIZE)
                .query((rs, n) -> new Removed(rs.getInt("runs"), rs.getLong("bytes"))).single();
    }

    /** Bytes stored by all runs: one pass over the runs table (not their events), see {@code stored_bytes}. */
    long storedBytes() {
        return jdbc.sql("select coalesce(sum(stored_bytes), 0) from runs").query(Long.class).single();
    }

    /** Sessions that own no run and were last seen before {@code cutoff}; a batch of them. */
    int sessionsWithoutRuns(Instant cutoff) {
        // last_seen is checked again on the row itself, so a session that just started a run is kept
        return jdbc.sql("""
                delete from sessions s where s.last_seen < :cutoff and s.id in (
                    select id from sessions x where x.last_seen < :cutoff
                        and not exists (select 1 from runs r where r.session_id = x.id)
                    order by x.last_seen limit :batch)""")
                .param("cutoff", Timestamp.from(cutoff)).param("batch", batch).update();
    }

    /** Tombstones older than {@code cutoff} (now − shared-max-age): after that an old link answers 404. */
    int tombstonesOlderThan(Instant cutoff) {
        return jdbc.sql("""
                delete from expired_runs where id in (
                    select id from expired_runs where expired_at < :cutoff order by expired_at limit :batch)""")
                .param("cutoff", Timestamp.from(cutoff)).param("batch", batch).update();
    }

    private Removed remove(String doomed, Instant cutoff, Instant now, String reason) {
        return jdbc.sql(REMOVE.formatted(doomed))
                .param("cutoff", Timestamp.from(cutoff)).param("batch", batch)
                .param("now", Timestamp.from(now)).param("reason", reason)
                .query((rs, n) -> new Removed(rs.getInt("runs"), rs.getLong("bytes"))).single();
    }
}
