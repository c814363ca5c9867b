package dev.deepscope.system;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** The app's own settings, under {@code deepscope.*} in application.yml. */
@ConfigurationProperties("deepscope")
public record DeepScopeProperties(Path dataDir, Runs runs) {

    /**
     * @param slots             runs and classifications in flight at once on this instance
     * @param perSession        runs one browser session may have computing at once
     * @param retryAfter        what a 429 tells the client to wait
     * @param heartbeat         SSE comment interval on idle streams
     * @param reconnectGrace    how long a run waits for a viewer to come back before it is cancelled
     * @param unwatchedTimeout  how long a run nobody opens may compute
     */
    public record Runs(int slots, int perSession, Duration retryAfter, Duration heartbeat,
                       Duration reconnectGrace, Duration unwatchedTimeout) {
    }
}
