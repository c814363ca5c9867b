package dev.deepscope.sessions;

import static dev.deepscope.Browsers.classify;
import static dev.deepscope.Browsers.ids;
import static dev.deepscope.Browsers.startRun;
import static dev.deepscope.Browsers.withSession;
import static org.assertj.core.api.Assertions.assertThat;

import dev.deepscope.DeepScopeTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.ResponseCookie;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

@DeepScopeTest
class HistoryTest {

    @Autowired
    WebTestClient http;

    @Test
    void theSessionCookieIsRandomHttpOnlyAndSameSiteLax() {
        ResponseCookie first = cookie();
        ResponseCookie second = cookie();
        assertThat(first.getValue()).matches("[A-Za-z0-9_-]{22}").isNotEqualTo(second.getValue());
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
        assertThat(page0.path("items").get(0).path("summary").asString()).isEqualTo("a drawn digit, read by cnn");
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
    void badPagingIsAProblemNamingTheField() {
        http.get().uri("/api/history?size=0").exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.field").isEqualTo("size");
        http.get().uri("/api/history?page=-1").exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.field").isEqualTo("page");
        http.get().uri("/api/history?page=first").exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.field").isEqualTo("page");
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
