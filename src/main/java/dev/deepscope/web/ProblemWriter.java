package dev.deepscope.web;

import dev.deepscope.errors.ServerBusyException;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a problem+json response from a web filter, where controller advice does not reach; and says when it
 * is too late for one ({@link #tooLate}).
 */
@Component
class ProblemWriter {

    private static final Logger log = LoggerFactory.getLogger(ProblemWriter.class);

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
        if (tooLate(exchange, title)) {
            return Mono.empty();
        }
        var problem = ProblemResponses.problem(status, title, detail, field);
        properties.forEach(problem::setProperty);
        problem.setInstance(exchange.getRequest().getURI());
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(status);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (retryAfter != null) {
            response.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(ServerBusyException.retryAfterSeconds(retryAfter)));
        }
        byte[] body = json.writeValueAsBytes(problem);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }

    /**
     * Whether the response has already started (its status and headers are sent, e.g. a stream that failed
     * mid-way): then no problem can be written, as its headers are read-only, and the response is ended as it
     * is; said once in the log. The one check every error path makes before it writes a problem.
     */
    static boolean tooLate(ServerWebExchange exchange, Object error) {
        if (!exchange.getResponse().isCommitted()) {
            return false;
        }
        log.warn("{} {} failed after its response started ({}); ending the response as it is: {}",
                exchange.getRequest().getMethod(), exchange.getRequest().getPath(),
                exchange.getResponse().getStatusCode(), error);
        return true;
    }
}
