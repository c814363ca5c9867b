package dev.deepscope.runs;

import static dev.deepscope.Browsers.classify;
import static dev.deepscope.Browsers.startRun;
import static dev.deepscope.Browsers.ticker;
import static dev.deepscope.Browsers.withSession;
import static org.assertj.core.api.Assertions.assertThat;

import dev.deepscope.DeepScopeTest;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

/** /r/{id}: anyone with the link sees the run; rerun reproduces it; replays keep or skip the pace. */
@DeepScopeTest
class ShareLinksTest {

    private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE = new ParameterizedTypeReference<>() {
    };

    @Autowired
    WebTestClient http;

    @Test
    void aShareLinkOpensTheRunsPageWithItsParametersForAnyone() {
        String id = startRun(withSession(http), "classify", classify("mlp-relu")).path("id").asString();
        String page = http.get().uri("/r/{id}", id).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(page).contains("data-shared-run=\"" + id + "\"").contains("data-shared-params=")
                .containsPattern("<option value=\"mlp-relu\"[^>]*selected=\"selected\"[^>]*>mlp-relu</option>");
        http.get().uri("/r/AAAAAAAAAAAAAAAAAAAAAA").exchange().expectStatus().isNotFound();
    }

    @Test
    void anUnknownRunIsAPageSayingSoForABrowserAndAProblemForAProgram() {
        String page = http.get().uri("/r/AAAAAAAAAAAAAAAAAAAAAA")
                .accept(MediaType.TEXT_HTML, MediaType.APPLICATION_XHTML_XML, MediaType.ALL).exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(page).contains("This run does not exist").contains("AAAAAAAAAAAAAAAAAAAAAA")
                .contains("<a href=\"/\">Go to the knowledge map</a>").contains("class=\"site-nav\"")
                .doesNotContain("null");
        http.get().uri("/r/{id}", "<b>nope").accept(MediaType.TEXT_HTML).exchange().expectStatus().isNotFound()
                .expectBody(String.class).value(html -> assertThat(html).contains("&lt;b&gt;nope")
                        .doesNotContain("<b>nope"));
        http.get().uri("/r/AAAAAAAAAAAAAAAAAAAAAA").accept(MediaType.APPLICATION_JSON).exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.field").isEqualTo("id");
    }

    @Test
    void rerunGivesTheSameOutput() {
        WebTestClient me = withSession(http);
        String first = startRun(me, "classify", classify("cnn")).path("id").asString();
        String second = me.post().uri("/api/runs/{id}/rerun", first).exchange().expectStatus().isCreated()
                .expectBody(tools.jackson.databind.JsonNode.class).returnResult().getResponseBody()
                .path("id").asString();
        assertThat(second).isNotEqualTo(first);
        assertThat(data(events(first, 0))).isEqualTo(data(events(second, 0)));
    }

    @Test
    void htmxRerunNeedsTheCsrfTokenThePageCarries() {
        String id = startRun(withSession(http), "classify", classify("cnn")).path("id").asString();
        http.post().uri("/r/{id}/rerun", id).exchange().expectStatus().isForbidden();

        EntityExchangeResult<String> page = http.get().uri("/digits").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult();
        ResponseCookie csrfCookie = page.getResponseCookies().getFirst("XSRF-TOKEN");
        Matcher header = Pattern.compile("hx-headers=\"\\{&quot;X-XSRF-TOKEN&quot;:&quot;([^&]+)&quot;\\}\"")
                .matcher(page.getResponseBody());
        assertThat(header.find()).as("the page carries the CSRF header for htmx").isTrue();

        http.post().uri("/r/{id}/rerun", id).cookie("XSRF-TOKEN", csrfCookie.getValue())
                .header("X-XSRF-TOKEN", header.group(1)).header("HX-Request", "true")
                .exchange()
                .expectStatus().isNoContent()
                .expectHeader().valueMatches("HX-Redirect", "/r/[A-Za-z0-9_-]{22}");
    }

    @Test
    void aFinishedRunReplaysAtOnceOrAtItsOriginalPace() {
        String id = startRun(http, "ticker", ticker(15, 60)).path("id").asString();
        events(id, 0);                                       // watch it to the end: ~0.9 s of ticks
        long fast = timed(() -> events(id, 0));
        long paced = timed(() -> events(id, 1));
        assertThat(paced).as("original pace, ms").isGreaterThanOrEqualTo(700);
        assertThat(fast).as("at once, ms").isLessThan(paced);
        http.get().uri("/api/runs/{id}/events?speed=-1", id).exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.field").isEqualTo("speed");
    }

    private List<ServerSentEvent<String>> events(String id, double speed) {
        return http.get().uri("/api/runs/{id}/events?speed={s}", id, speed).accept(MediaType.TEXT_EVENT_STREAM)
                .exchange().expectStatus().isOk().returnResult(SSE).getResponseBody()
                .filter(e -> e.event() != null).collectList().block(Duration.ofSeconds(30));
    }

    private static List<String> data(List<ServerSentEvent<String>> events) {
        return events.stream().map(e -> e.event() + " " + e.data()).toList();
    }

    private static long timed(Runnable r) {
        long start = System.nanoTime();
        r.run();
        return (System.nanoTime() - start) / 1_000_000;
    }
}
