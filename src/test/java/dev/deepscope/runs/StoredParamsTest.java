package dev.deepscope.runs;

import static dev.deepscope.Browsers.classify;
import static dev.deepscope.Browsers.finished;
import static dev.deepscope.Browsers.startRun;
import static dev.deepscope.Browsers.withSession;
import static org.assertj.core.api.Assertions.assertThat;

import dev.deepscope.DeepScopeTest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A run stores the params it used (typed, validated, defaults filled in), not the request: whatever else the
 * client sent inside {@code params} is gone, and the seed column is the seed it computed with.
 */
@DeepScopeTest
class StoredParamsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    WebTestClient http;

    @Autowired
    JdbcClient jdbc;

    @Test
    void unknownFieldsInsideParamsAreNotStored() {
        WebTestClient me = withSession(http).mutate().responseTimeout(Duration.ofSeconds(30)).build();
        Map<String, Object> params = new HashMap<>(classify("cnn"));
        byte[] noise = new byte[187_500];
        new SecureRandom().nextBytes(noise);
        params.put("padding", Base64.getEncoder().encodeToString(noise));   // 250,000 characters that do not compress
        params.put("note", Map.of("nested", "also gone"));
        String id = finished(me, startRun(me, "classify", params));

        JsonNode stored = me.get().uri("/api/runs/{id}", id).exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody().path("params");
        // the typed params with their defaults (no units switched, no pre-activations): nothing the caller invented
        assertThat(stored.propertyNames()).containsExactlyInAnyOrder("model", "pixels", "ablate", "preActivations");
        assertThat(stored.path("pixels").size()).isEqualTo(784);
        int after = jdbc.sql("select pg_column_size(params) from runs where id = ?").param(id).query(Integer.class).single();
        int before = storedSize(JSON.writeValueAsString(params));   // what storing the request as it came took
        System.out.printf("stored params of a classify run with 250 KB of padding: %,d bytes (the request as it "
                + "came: %,d bytes)%n", after, before);
        assertThat(before).isGreaterThan(250_000);
        assertThat(after).isLessThan(20_000);

        // the stored form is what a rerun repeats and what the history and the share page read
        String again = me.post().uri("/api/runs/{id}/rerun", id).exchange().expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody().path("id").asString();
        finished(me, me.get().uri("/api/runs/{id}", again).exchange().expectBody(JsonNode.class).returnResult()
                .getResponseBody());
        JsonNode rerun = me.get().uri("/api/runs/{id}", again).exchange().expectBody(JsonNode.class).returnResult()
                .getResponseBody();
        assertThat(rerun.path("params")).isEqualTo(stored);
        assertThat(rerun.path("status").asString()).isEqualTo("done");
        me.get().uri("/r/{id}", id).exchange().expectStatus().isOk();
    }

    @Test
    void aRunWithoutASeedRecordsTheSeedItComputedWithAndEveryDefault() {
        WebTestClient me = withSession(http).mutate().responseTimeout(Duration.ofSeconds(60)).build();
        JsonNode text = startRun(me, "generate", Map.of("prompt", "Call me Ishmael.", "maxTokens", 2, "extra", "x"));
        assertThat(text.path("seed").asLong(-1)).isZero();
        assertThat(text.path("params").path("seed").asLong(-1)).isZero();
        assertThat(text.path("params").path("temperature").asDouble()).isEqualTo(0.8);
        assertThat(text.path("params").path("topK").asInt()).isEqualTo(40);
        assertThat(text.path("params").has("extra")).isFalse();
        finished(me, text);

        JsonNode image = startRun(me, "diffuse", Map.of("digit", 3, "steps", 2, "space", "latent"));
        finished(me, image);
        JsonNode run = me.get().uri("/api/runs/{id}", image.path("id").asString()).exchange()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(run.path("seed").isNumber()).as("recorded, not null").isTrue();
        assertThat(run.path("seed").asLong()).isZero();
        assertThat(run.path("params").path("sampler").asString()).isEqualTo("ddim");
        assertThat(run.path("params").path("guidance").asDouble()).isEqualTo(3.0);
        assertThat(jdbc.sql("select seed from runs where id = ?").param(run.path("id").asString())
                .query(Long.class).single()).isZero();
        me.get().uri("/r/{id}", run.path("id").asString()).exchange().expectStatus().isOk()
                .expectBody(String.class).value(page -> assertThat(page).contains("&quot;sampler&quot;:&quot;ddim&quot;"));
    }

    /**
     * A run without a seed shows the seed it computed with, and a rerun of it writes the same text; a run with
     * another seed writes another one, so the sameness comes from the seed and not from a text that never varies.
     */
    @Test
    void aRerunOfARunWithoutASeedRepeatsIt() {
        WebTestClient me = withSession(http).mutate().responseTimeout(Duration.ofSeconds(60)).build();
        Map<String, Object> params = Map.of("prompt", "Call me Ishmael.", "maxTokens", 24, "temperature", 1.5);
        JsonNode first = done(me, startRun(me, "generate", params));
        assertThat(first.path("seed").isNumber()).as("the seed it used, shown").isTrue();
        assertThat(first.path("seed").asLong()).isZero();

        String rerunId = me.post().uri("/api/runs/{id}/rerun", first.path("id").asString()).exchange()
                .expectStatus().isCreated().expectBody(JsonNode.class).returnResult().getResponseBody()
                .path("id").asString();
        JsonNode rerun = done(me, me.get().uri("/api/runs/{id}", rerunId).exchange().expectBody(JsonNode.class)
                .returnResult().getResponseBody());
        assertThat(rerun.path("seed").asLong(-1)).isZero();
        assertThat(rerun.path("result").path("text").asString()).isNotEmpty()
                .isEqualTo(first.path("result").path("text").asString());

        Map<String, Object> seeded = new HashMap<>(params);
        seeded.put("seed", 1);
        JsonNode other = done(me, startRun(me, "generate", seeded));
        assertThat(other.path("seed").asLong()).isEqualTo(1);
        assertThat(other.path("result").path("text").asString()).isNotEqualTo(first.path("result").path("text").asString());
    }

    /** The run once it has finished, as GET /api/runs/{id} shows it. */
    private static JsonNode done(WebTestClient me, JsonNode started) {
        finished(me, started);
        JsonNode run = me.get().uri("/api/runs/{id}", started.path("id").asString()).exchange()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(run.path("status").asString()).isEqualTo("done");
        return run;
    }

    /** What PostgreSQL takes to store this JSON in a jsonb column (after its own compression). */
    private int storedSize(String json) {
        jdbc.sql("create table if not exists stored_size_probe (p jsonb)").update();
        try {
            jdbc.sql("insert into stored_size_probe values (?::jsonb)").param(json).update();
            return jdbc.sql("select pg_column_size(p) from stored_size_probe").query(Integer.class).single();
        } finally {
            jdbc.sql("drop table stored_size_probe").update();
        }
    }
}
