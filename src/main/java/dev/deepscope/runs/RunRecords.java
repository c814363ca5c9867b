package dev.deepscope.runs;

import dev.deepscope.retention.Expiry;
import dev.deepscope.retention.Tombstones;
import dev.deepscope.system.RandomIds;
import dev.deepscope.errors.NotFoundException;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * Where a run is kept, and where it is read from. A run is written when it starts, its events as they come
 * ({@link RunWriter}, within its write window) and its ending with its last events. If PostgreSQL is away the run
 * still computes and streams; it is written once the database is back ({@link RunBacklog}), and meanwhile read
 * from its channel or from the backlog. A run retention removed is gone (410), an id never seen is unknown (404).
 */
@Component
public class RunRecords {

    private static final Logger log = LoggerFactory.getLogger(RunRecords.class);

    private final RunStore store;
    private final RunBacklog backlog;
    private final RunWriter writer;
    private final LiveRuns live;
    private final Tombstones tombstones;
    private final String instanceId;

    RunRecords(RunStore store, RunBacklog backlog, RunWriter writer, LiveRuns live, Tombstones tombstones,
               Instance instance) {
        this.store = store;
        this.backlog = backlog;
        this.writer = writer;
        this.live = live;
        this.tombstones = tombstones;
        this.instanceId = instance.id();
    }

    /** Writes a run that starts on this instance; without the database it goes on unsaved. Blocking (JDBC). */
    void started(RunChannel channel) {
        try {
            store.insert(channel.run(), instanceId);
        } catch (DataAccessException e) {
            log.warn("Run {} starts without the database ({}); it is saved when the database is back",
                    channel.runId(), e.getMessage());
            channel.markUnsaved();
        }
    }

    /** Viewers here see the event at once; the database gets it within the write window. */
    void publish(RunChannel channel, RunEvent event) {
        channel.publish(event);
        writer.queue(channel, event);
    }

    /** The run's last event, written with the rest of its events and its status before viewers see it. */
    void finish(RunChannel channel, RunEvent last, RunStatus status) {
        writer.finish(channel, last, status);
        channel.publish(last);
        if (channel.unsaved()) {
            writer.saveLater(channel, status, instanceId);
        }
    }

    /** Blocking (JDBC). */
    public Optional<Run> find(String id) {
        if (!RandomIds.isWellFormed(id)) {
            return Optional.empty();
        }
        Optional<RunChannel> channel = live.get(id);
        if (channel.isPresent() && channel.get().unsaved()) {
            return Optional.of(channel.get().run());
        }
        Optional<RunBacklog.Pending> pending = backlog.find(id);
        return pending.isPresent() ? pending.map(RunBacklog.Pending::finished) : store.find(id);
    }

    /** The run; or 410 if retention removed it, 404 if no run ever had this id. Blocking (JDBC). */
    public Run get(String id) {
        return find(id).orElseThrow(() -> missing(id));
    }

    /**
     * Why there is no run with this id: a {@link dev.deepscope.errors.GoneException} (410, when and why) if
     * retention removed it, else {@link #unknown}'s 404. Blocking (JDBC).
     */
    public RuntimeException missing(String id) {
        return RandomIds.isWellFormed(id) ? tombstones.find(id).<RuntimeException>map(Expiry::gone).orElseGet(() -> unknown(id))
                : unknown(id);
    }

    /** The events of a run that finished while the database was away and is not written yet. */
    Optional<List<RunEvent>> unsavedEvents(String id) {
        return backlog.find(id).map(RunBacklog.Pending::events);
    }

    static NotFoundException unknown(String id) {
        return new NotFoundException("id", "No run has the id " + id + ".");
    }
}
