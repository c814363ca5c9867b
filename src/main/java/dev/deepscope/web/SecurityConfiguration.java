package dev.deepscope.web;

import java.net.URI;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.csrf.CookieServerCsrfTokenRepository;
import org.springframework.security.web.server.header.ReferrerPolicyServerHttpHeadersWriter;
import org.springframework.security.web.server.header.XFrameOptionsServerHttpHeadersWriter;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import reactor.core.publisher.Mono;

/**
 * Nobody signs in (sessions are anonymous), so security here is about the browser:
 * <ul>
 *   <li>a Content-Security-Policy that runs only our own scripts (no inline script, no eval, nothing
 *       from another host); inline styles stay allowed because KaTeX positions glyphs with them;</li>
 *   <li>CSRF tokens on form and htmx posts of pages (double-submit cookie, so any instance can check it);
 *       {@code /api/**} takes only JSON and refuses other origins instead ({@link SameOriginApi}).</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; "
            + "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; "
            + "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'";

    @Bean
    SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http, ProblemWriter problems) {
        return http
                // health probes read no session and run no script: Spring Security's chain (a dozen filters) is
                // a large share of their cost; fingerprinted files never reach it (FingerprintedFiles)
                .securityMatcher(exchange -> UntimedRequests.isHealthProbe(exchange.getRequest().getPath().value())
                        ? ServerWebExchangeMatcher.MatchResult.notMatch() : ServerWebExchangeMatcher.MatchResult.match())
                .authorizeExchange(a -> a.anyExchange().permitAll())
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .requestCache(c -> c.requestCache(NoOpServerRequestCache.getInstance()))
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .csrf(c -> c.csrfTokenRepository(CookieServerCsrfTokenRepository.withHttpOnlyFalse())
                        .requireCsrfProtectionMatcher(pageFormPosts())
                        .accessDeniedHandler((exchange, denied) -> problems.write(exchange, HttpStatus.FORBIDDEN,
                                "Missing or wrong CSRF token", "Reload the page and try again.", "X-XSRF-TOKEN", null)))
                .headers(h -> h
                        .contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                        .frameOptions(f -> f.mode(XFrameOptionsServerHttpHeadersWriter.Mode.DENY))
                        .referrerPolicy(r -> r.policy(ReferrerPolicyServerHttpHeadersWriter.ReferrerPolicy.SAME_ORIGIN)))
                .build();
    }

    /** State-changing requests to pages (not /api/**, which is JSON-only and same-origin-only). */
    private static ServerWebExchangeMatcher pageFormPosts() {
        return exchange -> {
            HttpMethod method = exchange.getRequest().getMethod();
            boolean safe = method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS;
            boolean api = exchange.getRequest().getPath().value().startsWith("/api/");
            return safe || api ? ServerWebExchangeMatcher.MatchResult.notMatch()
                    : ServerWebExchangeMatcher.MatchResult.match();
        };
    }

    /**
     * No observation around each of Spring Security's filters (a dozen per request: CPU, and nothing anyone
     * reads); requests are still timed as {@code http.server.requests}. This stops the wrapping itself, where
     * {@code management.observations.enable.spring.security: false} only made each wrapper a no-op.
     */
    @Bean
    SecurityObservationSettings noSecurityObservations() {
        return SecurityObservationSettings.noObservations();
    }

    /** Nobody signs in: this stops Spring Boot from creating a default user with a generated password. */
    @Bean
    ReactiveAuthenticationManager noSignIn() {
        return authentication -> Mono.empty();
    }

    static boolean sameOrigin(String origin, URI request) {
        try {
            URI o = URI.create(origin);
            int port = request.getPort() == -1 ? ("https".equals(request.getScheme()) ? 443 : 80) : request.getPort();
            int originPort = o.getPort() == -1 ? ("https".equals(o.getScheme()) ? 443 : 80) : o.getPort();
            return o.getScheme() != null && o.getScheme().equals(request.getScheme())
                    && o.getHost() != null && o.getHost().equalsIgnoreCase(request.getHost()) && originPort == port;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
