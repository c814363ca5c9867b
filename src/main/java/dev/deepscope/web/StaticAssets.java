package dev.deepscope.web;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.CacheControl;
import org.springframework.web.reactive.config.ResourceHandlerRegistry;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.resource.CssLinkResourceTransformer;
import org.springframework.web.reactive.resource.ResourceUrlProvider;
import org.springframework.web.reactive.resource.VersionResourceResolver;
import org.springframework.web.server.WebFilter;

/**
 * The front end's files ({@code classpath:/static/}, copied there from {@code frontend/} by the build) under
 * fingerprinted URLs: {@code /css/app.css} is linked as {@code /css/app-<md5 of its content>.css}, so a changed file
 * gets a new URL and every URL can be cached for a year and never revalidated ({@link #FOREVER}). Pages link them
 * through Thymeleaf's {@code @{...}}, which {@link #fingerprintedLinks} rewrites; stylesheets' own {@code url(...)}
 * links (KaTeX's fonts) are rewritten by {@link CssLinkResourceTransformer}. Resolved files and versions are cached
 * in memory (the resource chain's cache), so a request for a file does not search the classpath again.
 *
 * <p>Replaces Spring Boot's default mapping ({@code spring.web.resources.add-mappings: false}), which searched four
 * classpath locations on every request and sent no cache header, so Spring Security's {@code no-store} applied.
 */
@Configuration(proxyBeanMethods = false)
class StaticAssets implements WebFluxConfigurer {

    /** A fingerprinted file never changes under its URL. */
    static final CacheControl FOREVER = CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable();

    /** The longest a page waits for a file's fingerprint (its first lookup hashes the file). */
    private static final Duration LOOKUP = Duration.ofSeconds(5);

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/**")
                .addResourceLocations("classpath:/static/")
                .setCacheControl(FOREVER)
                .resourceChain(true)
                .addResolver(new VersionResourceResolver().addContentVersionStrategy("/**"))
                .addTransformer(new CssLinkResourceTransformer());
    }

    /**
     * Rewrites links to files (a last path segment with a dot: {@code /css/app.css}, not {@code /digits}) that pages
     * build with {@code @{...}} to their fingerprinted URLs. WebFlux has no filter for this (Spring MVC's
     * {@code ResourceUrlEncodingFilter}). A link is built while a page renders, so the lookup is waited for: the
     * first one of a file reads it to hash it (a few KB, once), later ones are answered from the chain's cache at
     * once. A link it cannot resolve in {@link #LOOKUP} is left as written.
     */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE + 30)
    WebFilter fingerprintedLinks(ResourceUrlProvider urls) {
        return (exchange, chain) -> {
            exchange.addUrlTransformer(link -> {
                if (!isFile(link)) {
                    return link;
                }
                try {
                    String fingerprinted = urls.getForUriString(link, exchange).toFuture().get(LOOKUP.toMillis(),
                            TimeUnit.MILLISECONDS);
                    return fingerprinted != null ? fingerprinted : link;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return link;
                } catch (ExecutionException | TimeoutException e) {
                    return link;
                }
            });
            return chain.filter(exchange);
        };
    }

    /** A path to a file of the front end: its last segment has an extension (no query, no fragment). */
    static boolean isFile(String path) {
        int slash = path.lastIndexOf('/');
        return path.startsWith("/") && path.indexOf('?') < 0 && path.indexOf('#') < 0
                && path.indexOf('.', slash + 1) > slash + 1;
    }
}
