package dev.deepscope.web;

import dev.deepscope.sessions.BrowserSession;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Per-session and per-address rate limits on everything that starts work (POST/DELETE): a token bucket
 * each (resilience4j), refusing at once with 429 and Retry-After instead of queueing. Idle buckets are
 * forgotten, so the maps stay as small as the set of active clients.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
class RateLimits implements WebFilter {

    private record Bucket(RateLimiter limiter, Instant[] lastUsed) {
    }

    private final RateLimiterConfig perSession;
    private final RateLimiterConfig perAddress;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final ProblemWriter problems;
    private final Counter refused;

    RateLimits(@Value("${deepscope.rate-limit.per-session:60}") int sessionLimit,
               @Value("${deepscope.rate-limit.per-address:240}") int addressLimit,
               @Value("${deepscope.rate-limit.period:10s}") Duration period,
               ProblemWriter problems, MeterRegistry registry) {
        this.perSession = config(sessionLimit, period);
        this.perAddress = config(addressLimit, period);
        this.problems = problems;
        this.refused = Counter.builder("deepscope.runs.refused").tag("reason", "rate").register(registry);
    }

    private static RateLimiterConfig config(int limit, Duration period) {
        return RateLimiterConfig.custom().limitForPeriod(limit).limitRefreshPeriod(period)
                .timeoutDuration(Duration.ZERO).build();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        HttpMethod method = exchange.getRequest().getMethod();
        if (method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS) {
            return chain.filter(exchange);
        }
        InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
        String address = remote == null || remote.getAddress() == null ? "unknown" : remote.getAddress().getHostAddress();
        RateLimiter session = bucket("session:" + BrowserSession.of(exchange), perSession);
        RateLimiter client = bucket("address:" + address, perAddress);
        for (RateLimiter limiter : new RateLimiter[] {session, client}) {
            if (!limiter.acquirePermission()) {
                refused.increment();
                // permits come back at the end of the current period: at most one period away
                Duration wait = limiter.getRateLimiterConfig().getLimitRefreshPeriod();
                return problems.write(exchange, HttpStatus.TOO_MANY_REQUESTS, "Too many requests",
                        "Slow down: this " + (limiter == session ? "browser session" : "address")
                                + " has started too much work recently.", null, wait);
            }
        }
        return chain.filter(exchange);
    }

    private RateLimiter bucket(String key, RateLimiterConfig config) {
        Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket(RateLimiter.of(k, config), new Instant[1]));
        bucket.lastUsed()[0] = Instant.now();
        return bucket.limiter();
    }

    @Scheduled(fixedDelay = 60_000)
    void forgetIdle() {
        Instant cutoff = Instant.now().minus(Duration.ofMinutes(10));
        buckets.values().removeIf(b -> b.lastUsed()[0].isBefore(cutoff));
    }
}
