package dev.deepscope.web;

import java.util.Map;
import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * What every page's model holds: {@code htmxHeaders}, the JSON for {@code <body hx-headers="…">}, so
 * every htmx request carries the CSRF token (no inline script needed). Resolving the token also
 * stores its cookie.
 */
@ControllerAdvice(annotations = Page.class)
class PageModel {

    private final JsonMapper json;

    PageModel(JsonMapper json) {
        this.json = json;
    }

    @ModelAttribute("htmxHeaders")
    Mono<String> htmxHeaders(ServerWebExchange exchange) {
        Mono<CsrfToken> token = exchange.getAttribute(CsrfToken.class.getName());
        return token == null ? Mono.just("{}")
                : token.map(t -> json.writeValueAsString(Map.of(t.getHeaderName(), t.getToken())));
    }
}
