package dev.deepscope.system;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import javax.sql.DataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.stereotype.Component;

/**
 * While PostgreSQL is unreachable, every caller waiting out the pool's connection timeout would pin a
 * thread; with runs, viewers and heartbeats all touching the database, the threads that answer requests
 * run out. So once getting a connection fails, further attempts fail at once for a short while (then one
 * is let through to see whether the database is back): history answers 503 immediately, runs go on.
 */
class FailFastDataSource extends DelegatingDataSource {

    static final Duration PAUSE = Duration.ofSeconds(2);

    private volatile long closedUntil;

    FailFastDataSource(DataSource target) {
        super(target);
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (System.nanoTime() < closedUntil) {
            throw new SQLTransientConnectionException("database unreachable (a connection failed moments ago)");
        }
        try {
            return super.getConnection();
        } catch (SQLException e) {
            closedUntil = System.nanoTime() + PAUSE.toNanos();
            throw e;
        }
    }

    /** Wraps the app's DataSource, embedded or configured. */
    @Component
    static class Wrapper implements BeanPostProcessor {
        @Override
        public Object postProcessAfterInitialization(Object bean, String name) {
            return bean instanceof DataSource ds && !(bean instanceof FailFastDataSource) ? new FailFastDataSource(ds) : bean;
        }
    }
}
