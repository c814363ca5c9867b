package dev.deepscope.web;

import dev.deepscope.clients.Caller;
import dev.deepscope.errors.ServerBusyException;
import dev.deepscope.system.StreamsProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.PathContainer;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import reactor.core.publisher.Mono;

/**
 * Caps the event streams (a run's live events or its replay) open at once: {@code deepscope.streams.per-address}
 * per client address and {@code deepscope.streams.total} in all. A stream over either is refused at once with
 * 429, problem+json ({@code reason: "viewers"}) and Retry-After, before it takes anything (a database read, a
 * connection slot); a place is given back when the stream ends however it ends (done, error, disconnect).
 *
 * <p>Counts, not a rate: what is limited is streams held, and a count per open address (removed at zero, so the
 * map holds at most {@code total} addresses) is all it takes.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 25)
class StreamLimits implements WebFilter {

    /** Problem {@code reason} of a refused stream. */
    static final String VIEWERS = "viewers";

    private static final PathPattern EVENT_STREAMS = PathPatternParser.defaultInstance.parse("/api/runs/{id}/events");

    private final int perAddress;
    private final int total;
    private final Duration retryAfter;
    private final ProblemWriter problems;
    private final AtomicInteger open = new AtomicInteger();
    private final Map<String, AtomicInteger> byAddress = new ConcurrentHashMap<>();
    private final Counter refused;

    StreamLimits(StreamsProperties properties, ProblemWriter problems, MeterRegistry registry) {
        this.perAddress = properties.perAddress();
        this.total = properties.total();
        this.retryAfter = properties.retryAfter();
        this.problems = problems;
        Gauge.builder("deepscope.streams.open", open, AtomicInteger::get)
                .description("Event streams (live and replays) open on this instance").register(registry);
        this.refused = Counter.builder("deepscope.streams.refused")
                .description("Event streams refused with 429 (too many per address or in all)").register(registry);
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().value();
        // the cheap test first: parsing a path for the pattern costs allocations every other request need not pay
        if (!path.startsWith("/api/runs/") || !path.endsWith("/events")
                || !EVENT_STREAMS.matches(PathContainer.parsePath(path))) {
            return chain.filter(exchange);
        }
        String address = address(exchange);
        String full = admit(address);
        if (full != null) {
            refused.increment();
            return problems.write(exchange, HttpStatus.TOO_MANY_REQUESTS, "Too many streams",
                    full + "; try again in " + ServerBusyException.retryAfterSeconds(retryAfter) + " s.", null, retryAfter,
                    Map.of("reason", VIEWERS));
        }
        AtomicBoolean released = new AtomicBoolean();
        return chain.filter(exchange).doFinally(signal -> {
            if (released.compareAndSet(false, true)) {
                release(address);
            }
        });
    }

    /** The client's address as every per-address limit counts it ({@link ClientAddress}, {@link Caller#address()}). */
    private static String address(ServerWebExchange exchange) {
        return Callers.addressKey(ClientAddress.of(exchange));
    }

    /** Takes a place for a stream from {@code address}, or says (as a sentence) which cap is full. */
    private String admit(String address) {
        if (open.incrementAndGet() > total) {
            open.decrementAndGet();
            return "This server has " + total + " event streams open, as many as it holds";
        }
        boolean[] admitted = {false};
        byAddress.compute(address, (key, count) -> {
            AtomicInteger n = count == null ? new AtomicInteger() : count;
            admitted[0] = n.get() < perAddress;
            if (admitted[0]) {
                n.incrementAndGet();
            }
            return n.get() == 0 ? null : n;
        });
        if (!admitted[0]) {
            open.decrementAndGet();
            return "Your address has " + perAddress + " event streams open, as many as one address may";
        }
        return null;
    }

    private void release(String address) {
        byAddress.computeIfPresent(address, (key, count) -> count.decrementAndGet() == 0 ? null : count);
        open.decrementAndGet();
    }
}
