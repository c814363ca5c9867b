package dev.deepscope.diffusion;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deepscope.DeepScopeTest;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code "switchPrompt": {"atStep", "prompt"|"digit"}}: the steps before the switch are the run without it. */
@DeepScopeTest
class PromptSwitchTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    WebTestClient http;

    @Test
    void theStepsBeforeTheSwitchAreIdenticalAndTheImageChangesCourse() {
        Map<String, Object> params = new HashMap<>(Map.of("digit", 1, "steps", 10, "seed", 6, "guidance", 4,
                "sampler", "ddpm", "inside", true));
        List<JsonNode> plain = steps(run(params));
        params.put("switchPrompt", Map.of("atStep", 4, "prompt", "a handwritten eight"));
        List<JsonNode> switched = steps(run(params));
        assertThat(switched).hasSize(10);
        for (int i = 0; i < 4; i++) {
            assertThat(switched.get(i)).as("step %d, before the switch", i).isEqualTo(plain.get(i));
        }
        assertThat(switched.get(4).path("x0")).as("the step of the switch").isNotEqualTo(plain.get(4).path("x0"));
        assertThat(switched.get(9).path("x")).isNotEqualTo(plain.get(9).path("x"));
        // what the cross-attention reads changes with the condition
        assertThat(switched.get(0).path("inside").path("tokens").toString()).contains("one");
        assertThat(switched.get(9).path("inside").path("tokens").toString()).contains("eight").doesNotContain("one");
    }

    static List<Arguments> badSwitches() {
        return List.of(
                Arguments.of(Map.of("atStep", 0, "digit", 3), "params.switchPrompt.atStep"),
                Arguments.of(Map.of("atStep", 10, "digit", 3), "params.switchPrompt.atStep"),
                Arguments.of(Map.of("digit", 3), "params.switchPrompt.atStep"),
                Arguments.of(Map.of("atStep", 2, "digit", 12), "params.switchPrompt.digit"),
                Arguments.of(Map.of("atStep", 2, "digit", 3, "prompt", "eight"), "params.switchPrompt.prompt"),
                Arguments.of(Map.of("atStep", 2), "params.switchPrompt.prompt"),
                Arguments.of(Map.of("atStep", 2, "prompt", "x".repeat(201)), "params.switchPrompt.prompt"));
    }

    @ParameterizedTest
    @MethodSource("badSwitches")
    void aBadSwitchIs400NamingTheField(Map<String, Object> switchPrompt, String field) {
        http.post().uri("/api/runs").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("kind", "diffuse", "params", Map.of("digit", 1, "steps", 10, "switchPrompt", switchPrompt)))
                .exchange().expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.field").isEqualTo(field);
    }

    private List<ServerSentEvent<String>> run(Map<String, Object> params) {
        String id = dev.deepscope.Browsers.startRun(http, "diffuse", params).path("id").asString();
        return dev.deepscope.Browsers.events(http, id, Duration.ofSeconds(120));
    }

    private static List<JsonNode> steps(List<ServerSentEvent<String>> events) {
        return events.stream().filter(e -> "step".equals(e.event())).map(e -> JSON.readTree(e.data())).toList();
    }
}
