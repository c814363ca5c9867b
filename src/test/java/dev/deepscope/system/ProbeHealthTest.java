package dev.deepscope.system;

import dev.deepscope.DeepScopeTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.context.ApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The probes answer as Spring Boot's indicators do, on the calling thread, and follow the availability state. */
@DeepScopeTest
class ProbeHealthTest {

    @Autowired
    WebTestClient http;

    @Autowired
    ApplicationContext context;

    @Test
    void probesAnswerUpAndLivenessFollowsTheState() {
        http.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP");
        http.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP");
        http.get().uri("/actuator/health").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP");
        try {
            AvailabilityChangeEvent.publish(context, LivenessState.BROKEN);
            http.get().uri("/actuator/health/liveness").exchange().expectStatus().isEqualTo(503)
                    .expectBody().jsonPath("$.status").isEqualTo("DOWN");
        } finally {
            AvailabilityChangeEvent.publish(context, LivenessState.CORRECT);
        }
        http.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
    }
}
