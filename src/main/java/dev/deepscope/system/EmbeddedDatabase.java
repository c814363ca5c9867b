package dev.deepscope.system;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * With no {@code spring.datasource.url} (or SPRING_DATASOURCE_URL) the app brings its own PostgreSQL,
 * whose data lives under {@code deepscope.data-dir}/postgres and survives restarts. Nothing else to install.
 * <p>
 * The app owns this database's whole life: it clears a postmaster that a killed app left running in the
 * same directory ({@link StalePostmaster}), and it stops the database itself, as the very last thing when
 * the app stops (a bean is destroyed after every lifecycle phase), so the stop can still be recorded:
 * zonky's own JVM shutdown hook would race Spring's and could stop PostgreSQL first. The server runs
 * with fsync and synchronous commit on (zonky turns both off), so what was committed survives a power
 * loss; only event batches commit asynchronously ({@code RunStore#append}).
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedDatabase.NoDatasourceUrl.class)
class EmbeddedDatabase {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(DeepScopeProperties properties) throws IOException {
        Path dir = properties.dataDir().resolve("postgres");
        Files.createDirectories(dir);
        StalePostmaster.clear(dir);
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dir)
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false)
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .start();
        log.info("Embedded PostgreSQL on port {} with data in {}", postgres.getPort(), dir);
        return postgres;
    }

    @Bean
    SoleInstance soleInstance() {
        return new SoleInstance();
    }

    @Bean(destroyMethod = "close")
    HikariDataSource dataSource(EmbeddedPostgres postgres) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
        dataSource.setMaximumPoolSize(10);
        // fail fast while the database is away: runs go on without it, history answers 503
        dataSource.setConnectionTimeout(2_000);
        return dataSource;
    }

    static final class NoDatasourceUrl implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return !context.getEnvironment().containsProperty("spring.datasource.url");
        }
    }
}
