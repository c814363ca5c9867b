package dev.deepscope.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deepscope.system.StreamsProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.json.ProblemDetailJacksonMixin;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.util.unit.DataSize;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Event streams are capped per address and in all: one over a cap is refused at once with 429, problem+json
 * and an honest Retry-After, and a place comes back when a stream ends, however it ends.
 */
class StreamLimitsTest {

    private final JsonMapper json = JsonMapper.builder().addMixIn(ProblemDetail.class, ProblemDetailJacksonMixin.class).build();
    private final StreamLimits limits = new StreamLimits(new StreamsProperties(2, 3, Duration.ofSeconds(5), 256,
            DataSize.ofKilobytes(256), DataSize.ofMegabytes(1), 2, Duration.ofSeconds(2), Duration.ofSeconds(2)),
            new ProblemWriter(json), new SimpleMeterRegistry());

    @Test
    void perAddressThenInAllRefusedAtOnceAndFreedWhenStreamsEnd() {
        Sinks.Empty<Void> firstEnds = Sinks.empty();
        Disposable a1 = open("10.0.0.1", firstEnds.asMono());
        Disposable a2 = open("10.0.0.1", Mono.never());

        MockServerWebExchange third = exchange("10.0.0.1");
        limits.filter(third, e -> Mono.never()).block(Duration.ofSeconds(1));
        assertRefused(third, "Your address has 2 event streams open");

        Disposable b1 = open("10.0.0.2", Mono.never());
        MockServerWebExchange overAll = exchange("10.0.0.3");
        limits.filter(overAll, e -> Mono.never()).block(Duration.ofSeconds(1));
        assertRefused(overAll, "This server has 3 event streams open");

        // a stream that ends (done) and one whose viewer leaves (cancel) give their places back
        firstEnds.tryEmitEmpty();
        b1.dispose();
        assertThat(isAdmitted("10.0.0.1")).isTrue();
        assertThat(isAdmitted("10.0.0.3")).isTrue();
        a1.dispose();
        a2.dispose();
    }

    @Test
    void otherPathsAreNotCounted() {
        for (int i = 0; i < 10; i++) {
            MockServerWebExchange page = MockServerWebExchange.from(MockServerHttpRequest.get("/api/runs/abc")
                    .remoteAddress(new InetSocketAddress("10.0.0.9", 1000)));
            limits.filter(page, e -> Mono.empty()).block(Duration.ofSeconds(1));
            assertThat(page.getResponse().getStatusCode()).isNull();
        }
    }

    private Disposable open(String address, Mono<Void> stream) {
        MockServerWebExchange exchange = exchange(address);
        boolean[] passed = {false};
        Disposable open = limits.filter(exchange, e -> {
            passed[0] = true;
            return stream;
        }).subscribe();
        assertThat(passed[0]).as("admitted").isTrue();
        return open;
    }

    private boolean isAdmitted(String address) {
        boolean[] passed = {false};
        limits.filter(exchange(address), e -> {
            passed[0] = true;
            return Mono.empty();
        }).block(Duration.ofSeconds(1));
        return passed[0];
    }

    private void assertRefused(MockServerWebExchange exchange, String detail) {
        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        assertThat(exchange.getResponse().getHeaders().getFirst("Retry-After")).isEqualTo("5");
        assertThat(exchange.getResponse().getHeaders().getContentType()).hasToString("application/problem+json");
        JsonNode problem = json.readTree(exchange.getResponse().getBodyAsString().block(Duration.ofSeconds(1)));
        assertThat(problem.path("status").asInt()).isEqualTo(429);
        assertThat(problem.path("reason").asString()).isEqualTo(StreamLimits.VIEWERS);
        assertThat(problem.path("detail").asString()).startsWith(detail).endsWith("try again in 5 s.");
    }

    private static MockServerWebExchange exchange(String address) {
        return MockServerWebExchange.from(MockServerHttpRequest.get("/api/runs/{id}/events", "r1")
                .remoteAddress(new InetSocketAddress(address, 40000)));
    }
}
