package dev.deepscope.web;

import dev.deepscope.system.RandomIds;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseCookie;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * An anonymous browser session: a random id, signed ({@link SessionKey}), in an HttpOnly, SameSite=Lax cookie
 * (Secure behind HTTPS). Only ids this server issued count: a cookie that does not verify (forged, the old
 * unsigned form, another key's, garbage) is replaced by a fresh session, never refused, so no client can choose
 * its id or share another's history. No sign-up and no database call here, so pages work even while PostgreSQL
 * is away; the session row is written with the first run it owns.
 *
 * <p>A new session is minted only when something asks for it ({@link #of}) or for a page (where a browser's visit
 * begins, so that the requests its scripts then send at once share one session): the front end's files, the
 * actuator and reads that need no session get no cookie (a cookieless client used to get one, signed, on every
 * such request).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class BrowserSession implements WebFilter {

    public static final String COOKIE = "deepscope_session";
    private static final String ATTRIBUTE = BrowserSession.class.getName();
    private static final Duration LIFETIME = Duration.ofDays(365);

    private final SessionKey key;

    BrowserSession(SessionKey key) {
        this.key = key;
    }

    /**
     * The caller's session id, without its signature: the one its cookie carries, or a new one, minted now and sent
     * as a cookie with this response (so call it before the response is committed).
     */
    public static String of(ServerWebExchange exchange) {
        Session session = exchange.getRequiredAttribute(ATTRIBUTE);
        return session.id(exchange);
    }

    /** Gives {@code exchange} the verified session {@code id}, as this filter does for a request whose cookie carries it. */
    void attach(ServerWebExchange exchange, String id) {
        exchange.getAttributes().put(ATTRIBUTE, new Session(id));
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        // the first cookie of ours that verifies: a browser may also send one a sibling host or a narrower path
        // set, and that one must not cost the person their session
        List<HttpCookie> cookies = exchange.getRequest().getCookies().getOrDefault(COOKIE, List.of());
        String id = cookies.stream().map(c -> key.verify(c.getValue()).filter(RandomIds::isWellFormed))
                .flatMap(Optional::stream).findFirst().orElse(null);
        attach(exchange, id);
        if (id == null && isPage(exchange.getRequest())) {
            of(exchange);
        }
        return chain.filter(exchange);
    }

    /** A page a browser navigates to: a GET that is not the API, the actuator, or a file (a dot in its last segment). */
    static boolean isPage(ServerHttpRequest request) {
        String path = request.getPath().value();
        return HttpMethod.GET.equals(request.getMethod()) && !path.startsWith("/api/")
                && !path.startsWith("/actuator/") && path.indexOf('.', path.lastIndexOf('/')) < 0;
    }

    /** One request's session: the verified id, or none until one is asked for (then minted once). */
    private final class Session {

        private String id;

        Session(String id) {
            this.id = id;
        }

        synchronized String id(ServerWebExchange exchange) {
            if (id == null) {
                id = RandomIds.next();
                exchange.getResponse().addCookie(ResponseCookie.from(COOKIE, key.sign(id))
                        .httpOnly(true)
                        .sameSite("Lax")
                        .secure("https".equals(exchange.getRequest().getURI().getScheme()))
                        .path("/")
                        .maxAge(LIFETIME)
                        .build());
            }
            return id;
        }
    }
}
