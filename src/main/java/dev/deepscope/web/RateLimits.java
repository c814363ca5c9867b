package dev.deepscope.web;

import dev.deepscope.clients.Caller;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.deepscope.errors.ServerBusyException;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Per-session and per-address rate limits on everything that starts work (POST/DELETE, and the GETs that
 * compute, {@link #COMPUTING_GETS}): a bucket of permits each (resilience4j), refusing at once with 429 and
 * Retry-After instead of queueing. The address is the client's ({@link ClientAddress}: a trusted proxy's
 * forwarded address, else the peer), so clients without a cookie — a fresh session each request — still
 * meet the per-address bucket.
 *
 * <p>Unrecorded live previews ({@link #LIVE_PATHS}: one forward pass of a small network, under a
 * millisecond, nothing stored) that a page sends while a person draws have buckets of their own,
 * {@code live-factor} times larger, so drawing as fast as a hand can never uses up the budget for runs.
 *
 * <p>A refusal is the caller's own pace, not a full server: its problem+json says {@code reason:
 * "rate-limit"} with the limit that was met, and Retry-After is the time until the bucket next has a
 * permit (resilience4j refills the whole bucket at each period boundary), not the full period.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
class RateLimits implements WebFilter {

    /** Problem {@code reason} of a refusal for the caller's own pace (see {@link ServerBusyException#SERVER_BUSY}). */
    static final String RATE_LIMIT = "rate-limit";

    /** Work so cheap it is limited separately: the digit pad's live answer while a stroke is drawn. */
    static final Set<String> LIVE_PATHS = Set.of("/api/digits/classify");

    /** GETs that compute (not only read): limited like requests that start work. */
    static final Set<String> COMPUTING_GETS = Set.of("/api/text/embeddings/neighbours");

    private record Limit(RateLimiterConfig config, String description) {
    }

    /** ≈ 200 bytes each: at most ≈ 20 MB of buckets, whatever a flood of cookieless requests does. */
    static final long MAX_BUCKETS = 100_000;

    private final Limit perSession;
    private final Limit perAddress;
    private final Limit livePerSession;
    private final Limit livePerAddress;
    /**
     * One bucket per session and per address, bounded: a cookieless client gets a fresh session (so a fresh
     * bucket) on every request, so idle buckets go after a few periods and at most {@link #MAX_BUCKETS} are
     * kept (Caffeine evicts the rarely used first, so a busy client's bucket is not the one that goes).
     */
    private final Cache<String, AtomicRateLimiter> buckets;
    private final ProblemWriter problems;
    private final Counter refused;
    private final Supplier<Long> nanoTime;

    @Autowired
    RateLimits(RateLimitProperties limits, ProblemWriter problems, MeterRegistry registry) {
        this(limits.perSession(), limits.perAddress(), limits.liveFactor(), limits.period(), problems, registry,
                System::nanoTime);
    }

    /** With the clock the buckets read (nanoseconds), so a test can move time. */
    RateLimits(int sessionLimit, int addressLimit, int liveFactor, Duration period, ProblemWriter problems,
               MeterRegistry registry, Supplier<Long> nanoTime) {
        this.nanoTime = nanoTime;
        Duration idle = period.multipliedBy(3).compareTo(Duration.ofMinutes(1)) > 0 ? period.multipliedBy(3)
                : Duration.ofMinutes(1);
        this.buckets = Caffeine.newBuilder().expireAfterAccess(idle).maximumSize(MAX_BUCKETS).build();
        this.perSession = limit(sessionLimit, period, "requests that start work per browser session");
        this.perAddress = limit(addressLimit, period, "requests that start work per address");
        this.livePerSession = limit(times(sessionLimit, liveFactor), period, "live answers per browser session");
        this.livePerAddress = limit(times(addressLimit, liveFactor), period, "live answers per address");
        this.problems = problems;
        this.refused = Counter.builder("deepscope.runs.refused").tag("reason", "rate").register(registry);
    }

    private static int times(int limit, int factor) {
        return (int) Math.min(Integer.MAX_VALUE, (long) limit * factor);
    }

    private static Limit limit(int limit, Duration period, String what) {
        RateLimiterConfig config = RateLimiterConfig.custom().limitForPeriod(limit).limitRefreshPeriod(period)
                .timeoutDuration(Duration.ZERO).build();
        return new Limit(config, limit + " " + what + " in " + period.toSeconds() + " s");
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        HttpMethod method = exchange.getRequest().getMethod();
        String path = exchange.getRequest().getPath().value();
        boolean reads = method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS;
        if (reads && !(method == HttpMethod.GET && COMPUTING_GETS.contains(path))) {
            return chain.filter(exchange);
        }
        Caller caller = Callers.of(exchange);
        boolean live = LIVE_PATHS.contains(path);
        String prefix = live ? "live:" : "";
        Limit[] limits = live ? new Limit[] {livePerSession, livePerAddress} : new Limit[] {perSession, perAddress};
        String[] keys = {prefix + "session:" + caller.session(), prefix + "address:" + caller.address()};
        for (int i = 0; i < limits.length; i++) {
            AtomicRateLimiter limiter = bucket(keys[i], limits[i].config());
            if (!limiter.acquirePermission()) {
                refused.increment();
                return refuse(exchange, limits[i], waitFor(limiter));
            }
        }
        return chain.filter(exchange);
    }

    /** When the next permit comes: the rest of the current period, never more (a refused call reserves none). */
    private static Duration waitFor(AtomicRateLimiter limiter) {
        long nanos = limiter.getDetailedMetrics().getNanosToWait();
        return Duration.ofNanos(Math.max(0, nanos));
    }

    private Mono<Void> refuse(ServerWebExchange exchange, Limit limit, Duration wait) {
        long seconds = ServerBusyException.retryAfterSeconds(wait);
        return problems.write(exchange, HttpStatus.TOO_MANY_REQUESTS, "Rate limit reached",
                "You are going faster than this server allows one caller (" + limit.description()
                        + "); ready again in " + seconds + " s.", null, wait,
                Map.of("reason", RATE_LIMIT, "limit", limit.description()));
    }

    private AtomicRateLimiter bucket(String key, RateLimiterConfig config) {
        return buckets.get(key, k -> new AtomicRateLimiter(k, config, Map.of(), nanoTime));
    }
}
