package dev.deepscope.runs;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The moment this instance stops serving streams: after {@link Instance} has interrupted its runs (so their
 * viewers have had the interrupted event) and before the web server's graceful shutdown, which waits for
 * open responses. Every event stream ends at this signal, so a stop takes about a second, not the shutdown
 * timeout; a viewer's EventSource then reconnects (with Last-Event-ID) to whichever instance answers.
 */
@Component
class ServerStop implements SmartLifecycle {

    private volatile Sinks.Empty<Void> stopped = Sinks.empty();
    private volatile boolean running;

    /** Completes when the instance stops. */
    Mono<Void> signal() {
        return stopped.asMono();
    }

    @Override
    public void start() {
        if (!running) {
            stopped = Sinks.empty();
            running = true;
        }
    }

    @Override
    public void stop() {
        running = false;
        stopped.tryEmitEmpty();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Right after {@link Instance} (stopped first, as its phase is higher), before the web server. */
    @Override
    public int getPhase() {
        return Instance.PHASE - 1;
    }
}
