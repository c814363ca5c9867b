package dev.deepscope.web;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * {@code /api/**} serves our own pages and non-browser clients only: a request a browser marks as coming
 * from another origin is refused (403), so no other site can spend a visitor's session or our CPU.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 5)
class SameOriginApi implements WebFilter {

    private final ProblemWriter problems;

    SameOriginApi(ProblemWriter problems) {
        this.problems = problems;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        var request = exchange.getRequest();
        if (!request.getPath().value().startsWith("/api/")) {
            return chain.filter(exchange);
        }
        String origin = request.getHeaders().getFirst(HttpHeaders.ORIGIN);
        boolean crossSite = "cross-site".equals(request.getHeaders().getFirst("Sec-Fetch-Site"));
        if (crossSite || (origin != null && !SecurityConfiguration.sameOrigin(origin, request.getURI()))) {
            return problems.write(exchange, HttpStatus.FORBIDDEN, "Cross-origin request refused",
                    "The DeepScope API answers only its own pages.", "Origin", null);
        }
        return chain.filter(exchange);
    }
}
