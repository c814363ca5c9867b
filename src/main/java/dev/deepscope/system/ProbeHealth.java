package dev.deepscope.system;

import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.health.application.LivenessStateHealthIndicator;
import org.springframework.boot.health.application.ReadinessStateHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Mono;

/**
 * The liveness and readiness probes' indicators, answered on the calling thread. Spring Boot's own are blocking
 * indicators, which its reactive health endpoint runs on the bounded-elastic scheduler: every probe then took that
 * scheduler's lock from the event loop (under load event loops waited ≥ 10 ms for it hundreds of times a minute) and
 * hopped threads, to read one field. Same names (so the {@code liveness} and {@code readiness} groups keep them), same
 * answers (Boot's indicators compute them, UP or DOWN / OUT_OF_SERVICE), no hop.
 */
@Configuration(proxyBeanMethods = false)
class ProbeHealth {

    @Bean
    ReactiveHealthIndicator livenessStateHealthIndicator(ApplicationAvailability availability) {
        return onCallingThread(new LivenessStateHealthIndicator(availability));
    }

    @Bean
    ReactiveHealthIndicator readinessStateHealthIndicator(ApplicationAvailability availability) {
        return onCallingThread(new ReadinessStateHealthIndicator(availability));
    }

    /** Reading an availability state is a field read: it never blocks, so it needs no other thread. */
    private static ReactiveHealthIndicator onCallingThread(HealthIndicator indicator) {
        return () -> Mono.fromSupplier(indicator::health);
    }
}
