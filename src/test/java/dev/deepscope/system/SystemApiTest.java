package dev.deepscope.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deepscope.DeepScopeTest;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.reactive.server.WebTestClient;

@DeepScopeTest
class SystemApiTest {

    @Autowired
    WebTestClient http;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DeepScopeProperties properties;

    @Test
    void reportsTensorFlowTheDeviceAndEveryModel() {
        http.get().uri("/api/system").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.tensorflow").isEqualTo("2.18.0")
                .jsonPath("$.device").isEqualTo("CPU:0")
                .jsonPath("$.cpuKernels").isEqualTo("Eigen")      // chosen before TensorFlow loaded (CpuKernels)
                .jsonPath("$.models.length()").isEqualTo(8)
                .jsonPath("$.models[4].name").isEqualTo("clip")
                .jsonPath("$.models[4].chapter").isEqualTo("generation")
                .jsonPath("$.models[4].metrics.zeroShotAccuracy").isNumber()
                .jsonPath("$.models[0].name").isEqualTo("mlp-sigmoid")
                .jsonPath("$.models[0].parameters").isEqualTo(784 * 16 + 16 + 16 * 16 + 16 + 16 * 10 + 10)
                .jsonPath("$.models[2].metrics.validationAccuracy").isNumber()
                .jsonPath("$.models[3].name").isEqualTo("gpt")
                .jsonPath("$.models[3].metrics.heldOutBitsPerChar").isNumber()
                // the U-Nets' cards carry what they were measured on and how (faithfulness, property prompts)
                .jsonPath("$.models[7].name").isEqualTo("latent-unet")
                .jsonPath("$.models[7].metrics.data").value(String.class, d -> assertThat(d).contains("official MNIST"))
                .jsonPath("$.models[7].metrics.evaluation.fidelity.accuracy").isNumber()
                .jsonPath("$.models[7].metrics.propertyEvaluation.byProperty.thickness.readAsAsked").isNumber()
                .jsonPath("$.models[6].metrics.propertyEvaluation.byProperty.slant.inAskedDirection").isNumber();
    }

    @Test
    void flywayMigratedTheEmbeddedPostgresWhoseDataLivesInTheDataDir() {
        assertThat(jdbc.sql("select version()").query(String.class).single()).startsWith("PostgreSQL");
        assertThat(jdbc.sql("select count(*) from flyway_schema_history where success and version = '1'")
                .query(Integer.class).single()).isEqualTo(1);
        assertThat(jdbc.sql("select count(*) from information_schema.tables where table_name in ('runs', 'run_events')")
                .query(Integer.class).single()).isEqualTo(2);
        assertThat(Files.exists(properties.dataDir().resolve("postgres").resolve("PG_VERSION"))).isTrue();
    }

    @Test
    void onlyHealthInfoAndPrometheusAreExposed() {
        http.get().uri("/actuator/health").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP");
        http.get().uri("/actuator/prometheus").exchange().expectStatus().isOk();
        http.get().uri("/actuator/env").exchange().expectStatus().isNotFound();
        http.get().uri("/actuator/beans").exchange().expectStatus().isNotFound();
    }
}
