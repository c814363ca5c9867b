package dev.deepscope.web;

import java.time.Duration;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** Writes a problem+json response from a web filter, where controller advice does not reach. */
@Component
class ProblemWriter {

    private final JsonMapper json;

    ProblemWriter(JsonMapper json) {
        this.json = json;
    }

    Mono<Void> write(ServerWebExchange exchange, HttpStatus status, String title, String detail, String field,
                     Duration retryAfter) {
        return write(exchange, status, title, detail, field, retryAfter, Map.of());
    }

    /** As above, with extra problem members (e.g. {@code reason} of a 429). */
    Mono<Void> write(ServerWebExchange exchange, HttpStatus status, String title, String detail, String field,
                     Duration retryAfter, Map<String, Object> properties) {
        var problem = ProblemResponses.problem(status, title, detail, field);
        properties.forEach(problem::setProperty);
        problem.setInstance(exchange.getRequest().getURI());
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(status);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (retryAfter != null) {
            response.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds(retryAfter)));
        }
        byte[] body = json.writeValueAsBytes(problem);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }

    /** Retry-After in whole seconds, rounded up so a request sent then passes; at least 1. */
    static long retryAfterSeconds(Duration wait) {
        long seconds = wait.toSeconds() + (wait.toNanosPart() > 0 ? 1 : 0);
        return Math.max(1, seconds);
    }
}
