package dev.deepscope.web;

import io.micrometer.observation.ObservationPredicate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;

/**
 * Requests that are not timed as {@code http.server.requests}: fingerprinted files ({@link FingerprintedFiles}, answered
 * from memory, cached by browsers for a year) and the health probes (an orchestrator's, every few seconds). Timing them
 * cost a good share of their own serving time (an observation, its tags and a timer per request) and said nothing
 * anyone reads; pages, the API and the other actuator endpoints are timed as before.
 */
@Configuration(proxyBeanMethods = false)
class UntimedRequests {

    /** Health probes: {@code /actuator/health} and its groups ({@code liveness}, {@code readiness}). */
    static boolean isHealthProbe(String path) {
        return path.startsWith("/actuator/health") && (path.length() == "/actuator/health".length()
                || path.charAt("/actuator/health".length()) == '/');
    }

    @Bean
    ObservationPredicate untimedPaths() {
        return (name, context) -> {
            if (!(context instanceof ServerRequestObservationContext request)) {
                return true;
            }
            String path = request.getCarrier().getPath().value();
            return !FingerprintedFiles.isFingerprinted(path) && !isHealthProbe(path);
        };
    }
}
