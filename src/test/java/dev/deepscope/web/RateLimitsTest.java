package dev.deepscope.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.json.ProblemDetailJacksonMixin;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The rate limits on a clock the test moves: Retry-After is the real wait, and a refusal says whose limit it is. */
class RateLimitsTest {

    static final long SECOND = 1_000_000_000L;

    final AtomicLong now = new AtomicLong(1_000 * SECOND);
    // as the app's mapper writes problems: their properties at the top level
    final JsonMapper json = JsonMapper.builder().addMixIn(ProblemDetail.class, ProblemDetailJacksonMixin.class).build();
    // 3 runs and 15 live answers per session in 10 s
    final RateLimits limits = new RateLimits(3, 1_000, 5, Duration.ofSeconds(10), new ProblemWriter(json),
            new SimpleMeterRegistry(), now::get);

    @Test
    void retryAfterIsTheTimeUntilTheBucketRefillsNotTheWholePeriod() {
        for (int i = 0; i < 3; i++) {
            assertThat(post("/api/runs").getResponse().getStatusCode()).isNull();   // passed on to the app
        }
        now.addAndGet(7 * SECOND + SECOND / 5);                                  // 7.2 s into the period
        MockServerWebExchange refused = post("/api/runs");
        assertThat(refused.getResponse().getStatusCode()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        assertThat(refused.getResponse().getHeaders().getFirst("Retry-After")).isEqualTo("3");   // 2.8 s, rounded up
        JsonNode problem = json.readTree(refused.getResponse().getBodyAsString().block());
        assertThat(problem.path("reason").asString()).isEqualTo("rate-limit");
        assertThat(problem.path("limit").asString()).isEqualTo("3 requests that start work per browser session in 10 s");
        assertThat(problem.path("detail").asString()).startsWith("You are going faster than").contains("ready again in 3 s");

        now.addAndGet(2 * SECOND);                                                // 9.2 s: still the same period
        assertThat(post("/api/runs").getResponse().getHeaders().getFirst("Retry-After")).isEqualTo("1");
        now.addAndGet(SECOND);                                                    // past Retry-After: it passes
        assertThat(post("/api/runs").getResponse().getStatusCode()).isNull();
    }

    @Test
    void liveAnswersWhileDrawingHaveABudgetOfTheirOwn() {
        for (int i = 0; i < 15; i++) {
            assertThat(post("/api/digits/classify").getResponse().getStatusCode()).isNull();
        }
        MockServerWebExchange refused = post("/api/digits/classify");
        assertThat(refused.getResponse().getStatusCode()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        assertThat(refused.getResponse().getBodyAsString().block()).contains("15 live answers per browser session in 10 s");
        // drawing used up the live budget, not the one for runs
        assertThat(post("/api/runs").getResponse().getStatusCode()).isNull();
    }

    private MockServerWebExchange post(String path) {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.post(path));
        new BrowserSession(new SessionKey(new byte[32])).attach(exchange, "session-1");
        limits.filter(exchange, (ServerWebExchange e) -> Mono.empty()).block();
        return exchange;
    }
}
