package dev.deepscope.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.springdoc.core.properties.SwaggerUiConfigProperties;
import org.springdoc.core.properties.SwaggerUiOAuthProperties;
import org.springdoc.core.providers.ObjectMapperProvider;
import org.springdoc.webflux.ui.SwaggerIndexPageTransformer;
import org.springdoc.webflux.ui.SwaggerIndexTransformer;
import org.springdoc.webflux.ui.SwaggerWelcomeCommon;
import org.springframework.core.io.Resource;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.resource.ResourceTransformerChain;
import org.springframework.web.reactive.resource.TransformedResource;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The API docs' UI page (Swagger UI's index.html, as springdoc serves it) with a viewport: the webjar's page has
 * none, so a phone laid it out 980 px wide and shrank it to unreadable type. Everything else is springdoc's own
 * transformation (its config URL in swagger-initializer.js).
 */
@Component
class ApiDocsViewport implements SwaggerIndexTransformer {

    private static final String VIEWPORT = "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">";

    private final SwaggerIndexPageTransformer springdoc;

    ApiDocsViewport(SwaggerUiConfigProperties config, SwaggerUiOAuthProperties oauth, SwaggerWelcomeCommon welcome,
                    ObjectMapperProvider json) {
        this.springdoc = new SwaggerIndexPageTransformer(config, oauth, welcome, json);
    }

    @Override
    public Mono<Resource> transform(ServerWebExchange exchange, Resource resource, ResourceTransformerChain chain) {
        return springdoc.transform(exchange, resource, chain).map(transformed -> {
            if (!"index.html".equals(transformed.getFilename())) {
                return transformed;
            }
            try {
                String html = transformed.getContentAsString(StandardCharsets.UTF_8);
                return html.contains("name=\"viewport\"") ? transformed : new TransformedResource(resource,
                        html.replaceFirst("<head>", "<head>\n    " + VIEWPORT).getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
