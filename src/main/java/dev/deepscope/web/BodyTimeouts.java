package dev.deepscope.web;

import io.netty.handler.timeout.ReadTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;

/**
 * A request body that stopped arriving ({@code deepscope.streams.body-timeout} between reads: {@link NettyEdges};
 * a body that trickles past four times that is answered 408 by Reactor Netty itself) is the client's doing, not a server error: it gets {@code 408} problem+json naming
 * {@code body} and one line in the log, where Boot's own handler would log a stack trace and answer 500. The
 * error is raised while Spring reads the body, wherever that happens (a filter or an argument), so this sits
 * before Boot's handler (order -2) rather than in controller advice.
 */
@Component
@Order(-3)
class BodyTimeouts implements WebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(BodyTimeouts.class);

    private final ProblemWriter problems;

    BodyTimeouts(ProblemWriter problems) {
        this.problems = problems;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
        if (!isBodyTimeout(error)) {
            return Mono.error(error);
        }
        log.info("{} {}: the request body stopped arriving; answered 408", exchange.getRequest().getMethod(),
                exchange.getRequest().getPath().value());
        return problems.write(exchange, HttpStatus.REQUEST_TIMEOUT, "Request body timed out",
                "The request body stopped arriving before it was complete.", "body", null);
    }

    private static boolean isBodyTimeout(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof ReadTimeoutException) {
                return true;
            }
        }
        return false;
    }
}
