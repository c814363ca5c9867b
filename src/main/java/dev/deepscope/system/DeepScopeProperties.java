package dev.deepscope.system;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** The app's own settings, under {@code deepscope.*} in application.yml. */
@ConfigurationProperties("deepscope")
public record DeepScopeProperties(Path dataDir, Runs runs) {

    public record Runs(int slots, int threads, Duration retryAfter, Duration heartbeat, Duration reconnectGrace,
                       Duration unwatchedTimeout) {
    }
}
