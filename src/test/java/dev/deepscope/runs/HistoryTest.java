package dev.deepscope.runs;

import dev.deepscope.Browsers;
import dev.deepscope.DeepScopeTest;
import dev.deepscope.web.BrowserSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.ResponseCookie;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

import static dev.deepscope.Browsers.classify;
import static dev.deepscope.Browsers.ids;
import static dev.deepscope.Browsers.startRun;
import static dev.deepscope.Browsers.withSession;
import static org.assertj.core.api.Assertions.assertThat;

@DeepScopeTest
class HistoryTest {

    @Autowired
    WebTestClient http;

    @Test
    void theSessionCookieIsRandomHttpOnlyAndSameSiteLax() {
        ResponseCookie first = cookie();
        ResponseCookie second = cookie();
        // a random id and its signature
        assertThat(first.getValue()).matches("[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}").isNotEqualTo(second.getValue());
        assertThat(first.isHttpOnly()).isTrue();
        assertThat(first.getSameSite()).isEqualTo("Lax");
        assertThat(first.isSecure()).as("plain http here; Secure is set behind HTTPS").isFalse();
        assertThat(first.getPath()).isEqualTo("/");
    }

    @Test
    void eachBrowserSeesOnlyItsOwnRunsNewestFirstInPages() {
        WebTestClient alice = withSession(http);
        WebTestClient bob = withSession(http);
        List<String> aliceRuns = new ArrayList<>();
        for (String model : List.of("mlp-sigmoid", "mlp-relu", "cnn")) {
            aliceRuns.add(0, startRun(alice, "classify", classify(model)).path("id").asString());
        }
        String bobRun = startRun(bob, "classify", classify("cnn")).path("id").asString();

        JsonNode page0 = history(alice, "/api/history?size=2");
        assertThat(ids(page0)).containsExactly(aliceRuns.get(0), aliceRuns.get(1));
        assertThat(page0.path("hasMore").asBoolean()).isTrue();
        JsonNode page1 = history(alice, "/api/history?size=2&page=1");
        assertThat(ids(page1)).containsExactly(aliceRuns.get(2));
        assertThat(page1.path("hasMore").asBoolean()).isFalse();
        assertThat(page0.path("items").get(0).path("summary").asString()).matches("a drawn digit, read (as [0-9] )?by cnn");
        assertThat(page0.path("items").get(0).path("thumbnail").asString()).startsWith("data:image/png;base64,");

        assertThat(ids(history(bob, "/api/history"))).containsExactly(bobRun);
        assertThat(ids(history(http, "/api/history"))).isEmpty();
    }

    @Test
    void theHistoryPanelRendersWhatPeopleTypedEscaped() {
        WebTestClient mallory = withSession(http);
        startRun(mallory, "ticker", Map.of("ticks", 1, "label", "<script>alert('x')</script>"));
        String panel = mallory.get().uri("/history").header("HX-Request", "true").exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        assertThat(panel).contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;").doesNotContain("<script>");
        assertThat(panel).contains("hx-post=\"/r/");
    }

    @Test
    void thePanelPagesTenAtATimeAndFiltersByKind() {
        WebTestClient me = withSession(http);
        List<String> newestFirst = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            newestFirst.add(0, Browsers.finished(me, startRun(me, "ticker", Map.of("ticks", 1, "millis", 1, "label", "tick " + i))));
        }
        String classified = Browsers.finished(me, startRun(me, "classify", classify("cnn")));

        String first = panel(me, "/history");
        assertThat(runsIn(first)).hasSize(10).startsWith(classified).containsSubsequence(newestFirst.subList(0, 9));
        assertThat(first).contains("hx-get=\"/history?kind=all&amp;page=1\"").contains("older")
                .doesNotContain("newer").doesNotContain("null");
        String second = panel(me, "/history?kind=all&page=1");
        assertThat(runsIn(second)).containsExactlyElementsOf(newestFirst.subList(9, 12));
        assertThat(second).contains("hx-get=\"/history?kind=all&amp;page=0\"").contains("newer");

        String onlyClassify = panel(me, "/history?kind=classify");
        assertThat(runsIn(onlyClassify)).containsExactly(classified);
        assertThat(onlyClassify).contains("data-kind=\"classify\" aria-pressed=\"true\"").doesNotContain("older");
        assertThat(ids(history(me, "/api/history?kind=ticker&size=5"))).containsExactlyElementsOf(newestFirst.subList(0, 5));
        assertThat(history(me, "/api/history?kind=classify").path("kind").asString()).isEqualTo("classify");
        assertThat(runsIn(panel(me, "/history?kind=train"))).isEmpty();
        assertThat(panel(me, "/history?kind=train")).contains("No train runs yet.");
    }

    @Test
    void everyKindSaysWhatItWasWithAPicture() {
        WebTestClient me = withSession(http);
        float[] test = http.get().uri("/api/digits/samples/5").exchange().expectStatus().isOk()
                .expectBody(DigitSample.class).returnResult().getResponseBody().pixels();
        List<Double> pixels = new ArrayList<>();
        for (float p : test) {
            pixels.add((double) p);
        }
        int label = http.get().uri("/api/digits/samples/5").exchange().expectBody(JsonNode.class).returnResult()
                .getResponseBody().path("label").asInt();
        Browsers.finished(me, startRun(me, "classify", Map.of("model", "cnn", "pixels", pixels)));
        Browsers.finished(me, startRun(me, "train", Map.of("hidden", List.of(8), "activation", "sigmoid", "learningRate", 3,
                "batchSize", 32, "steps", 40, "seed", 1)));
        Browsers.finished(me, startRun(me, "generate", Map.of("prompt", "Call me Ishmael, a whale of a tale told by the sea, "
                + "over and over again until the sun went down", "maxTokens", 4, "seed", 1)));
        Browsers.finished(me, startRun(me, "diffuse", Map.of("digit", 3, "steps", 4, "space", "latent", "seed", 1)));

        Map<String, JsonNode> byKind = new java.util.HashMap<>();
        history(me, "/api/history").path("items").forEach(i -> byKind.put(i.path("kind").asString(), i));
        assertThat(byKind.get("classify").path("summary").asString())
                .matches("test digit #5 \\(a " + label + "\\), read as [0-9] by cnn");
        assertThat(byKind.get("train").path("summary").asString())
                .matches("784-8-10 sigmoid, η 3, m 32, 40 steps, seed 1 → [0-9]+ % right( \\((stuck|diverging)\\))?");
        assertThat(byKind.get("generate").path("summary").asString())
                .startsWith("“Call me Ishmael, a whale of a tale told by the sea, over and…” (T = 0.8, seed 1)")
                .endsWith("→ 4 tokens");
        assertThat(byKind.get("diffuse").path("summary").asString()).startsWith("diffusion: digit 3, w = ");
        byKind.values().forEach(item -> assertThat(item.path("thumbnail").asString()).as(item.path("kind").asString())
                .startsWith("data:image/png;base64,"));
    }

    @Test
    void anUnknownKindIsAProblemNamingTheField() {
        http.get().uri("/api/history?kind=dance").exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.field").isEqualTo("kind");
        http.get().uri("/history?kind=dance").exchange().expectStatus().isBadRequest();
    }

    @Test
    void badPagingIsAProblemNamingTheField() {
        http.get().uri("/api/history?size=0").exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.field").isEqualTo("size");
        http.get().uri("/api/history?page=-1").exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.field").isEqualTo("page");
        http.get().uri("/api/history?page=first").exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.field").isEqualTo("page");
    }

    record DigitSample(int index, int label, float[] pixels) {
    }

    private static String panel(WebTestClient client, String uri) {
        return client.get().uri(uri).header("HX-Request", "true").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
    }

    /** The run ids the panel lists, in order. */
    private static List<String> runsIn(String panel) {
        List<String> ids = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("data-run=\"([^\"]+)\"").matcher(panel);
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    private ResponseCookie cookie() {
        return http.get().uri("/").exchange().expectStatus().isOk()
                .returnResult(String.class).getResponseCookies().getFirst(BrowserSession.COOKIE);
    }

    private static JsonNode history(WebTestClient client, String uri) {
        return client.get().uri(uri).exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }
}
