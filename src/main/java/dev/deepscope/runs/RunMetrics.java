package dev.deepscope.runs;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Runs started, refused, finished by status, active, never saved; the save backlog; how long publishing one event
 * takes (for Prometheus).
 */
@Component
class RunMetrics {

    private final MeterRegistry registry;
    private final Timer eventLatency;

    RunMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.eventLatency = Timer.builder("deepscope.runs.event.latency")
                .description("From the moment a run event happened until it is written to the database")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
    }

    void watchActive(Map<String, ?> live) {
        Gauge.builder("deepscope.runs.active", live, Map::size).description("Runs computing on this instance")
                .register(registry);
    }

    void started(String kind) {
        Counter.builder("deepscope.runs.started").tag("kind", kind).register(registry).increment();
    }

    /** Why: "slots" (server full), "session" (too many runs of one session), "rate" (rate limit). */
    void refused(String why) {
        Counter.builder("deepscope.runs.refused").tag("reason", why).register(registry).increment();
    }

    void finished(String kind, RunStatus status) {
        Counter.builder("deepscope.runs.finished").tag("kind", kind).tag("status", status.json())
                .register(registry).increment();
    }

    /**
     * Runs that will never be written: "failed" (the store refused their data, set aside) or "backlog-full"
     * (dropped from the save backlog at its bound while the database was away).
     */
    void unsaveable(String reason) {
        Counter.builder("deepscope.runs.unsaveable").tag("reason", reason).register(registry).increment();
    }

    /** Runs waiting in the save backlog for the database, and the bytes it holds (waiting and set aside). */
    void watchBacklog(java.util.function.Supplier<Number> runs, java.util.function.Supplier<Number> bytes) {
        Gauge.builder("deepscope.runs.backlog", runs).description("Finished runs waiting for the database")
                .register(registry);
        Gauge.builder("deepscope.runs.backlog.bytes", bytes).baseUnit("bytes")
                .description("Memory held by the save backlog (about: its runs' JSON text)").register(registry);
    }

    void eventWritten(java.time.Duration latency) {
        eventLatency.record(latency);
    }
}
