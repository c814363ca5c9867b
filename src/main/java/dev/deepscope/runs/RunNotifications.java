package dev.deepscope.runs;

import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * PostgreSQL {@code LISTEN run_events}: a trigger NOTIFYs the run id of every new event, and this wakes
 * the viewers on this instance that follow a run executing on another one; they then read the events
 * from the table. {@code run_cancel} carries cancellations asked for on another instance. One dedicated connection and thread; it reconnects by itself after a database outage
 * and then wakes everyone, since notifications sent meanwhile are lost.
 */
@Component
class RunNotifications implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(RunNotifications.class);

    private final DataSource dataSource;
    private final JdbcClient jdbc;
    private final Sinks.Many<String> cancellations = Sinks.many().multicast().directBestEffort();
    private final Map<String, Sinks.Many<Boolean>> followers = new ConcurrentHashMap<>();
    private final Thread listener;
    private volatile boolean running = true;

    RunNotifications(DataSource dataSource, JdbcClient jdbc) {
        this.dataSource = dataSource;
        this.jdbc = jdbc;
        this.listener = new Thread(this::listen, "run-notifications");
        this.listener.setDaemon(true);
        this.listener.start();
    }

    /** A signal each time the run may have new events (multicast to every follower of that run). */
    Flux<Boolean> wakeUps(String runId) {
        return followers.computeIfAbsent(runId, id -> Sinks.many().multicast().directBestEffort()).asFlux()
                .doFinally(s -> followers.computeIfPresent(runId, (id, sink) -> sink.currentSubscriberCount() == 0 ? null : sink));
    }

    /** Run ids whose cancellation was requested on some instance (each instance stops its own). */
    Flux<String> cancellations() {
        return cancellations.asFlux();
    }

    /** Tells every instance to stop this run; the one computing it will. */
    void requestCancel(String runId) {
        jdbc.sql("select count(*) from (select pg_notify('run_cancel', ?)) as sent").param(runId).query(Integer.class).single();
    }

    private void listen() {
        while (running) {
            try (Connection connection = dataSource.getConnection()) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN run_events");
                    statement.execute("LISTEN run_cancel");
                }
                wakeEveryone();
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(500);
                    if (notifications != null) {
                        for (PGNotification n : notifications) {
                            if ("run_cancel".equals(n.getName())) {
                                cancellations.tryEmitNext(n.getParameter());
                                continue;
                            }
                            Sinks.Many<Boolean> sink = followers.get(n.getParameter());
                            if (sink != null) {
                                sink.tryEmitNext(true);
                            }
                        }
                    }
                }
            } catch (Exception e) {
                if (running) {
                    log.debug("LISTEN connection lost ({}); reconnecting", e.getMessage());
                    sleep(1000);
                }
            }
        }
    }

    private void wakeEveryone() {
        followers.values().forEach(sink -> sink.tryEmitNext(true));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void destroy() {
        running = false;
        listener.interrupt();
    }
}
