package dev.deepscope.runs;

import static dev.deepscope.Browsers.finished;
import static dev.deepscope.Browsers.gradientDescent;
import static dev.deepscope.Browsers.sgd;
import static dev.deepscope.Browsers.startRun;
import static dev.deepscope.Browsers.ticker;
import static dev.deepscope.Browsers.withSession;
import static org.assertj.core.api.Assertions.assertThat;

import dev.deepscope.DeepScopeTest;
import dev.deepscope.system.RandomIds;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/** /compare and /api/compare: two runs of one kind with their params lined up; every wrong id named, never a 5xx. */
@DeepScopeTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CompareTest {

    private static final String UNKNOWN = "AAAAAAAAAAAAAAAAAAAAAA";

    @Autowired
    WebTestClient http;

    @Autowired
    JdbcClient jdbc;

    WebTestClient me;
    String gd;
    String sgdRun;

    @BeforeAll
    void twoTrainRuns() {
        me = withSession(http);
        gd = finished(me, startRun(me, "train", gradientDescent()));
        Map<String, Object> relu = new HashMap<>(sgd());
        relu.put("activation", "relu");
        relu.put("learningRate", 0.4);
        sgdRun = finished(me, startRun(me, "train", relu));
    }

    @Test
    void bothRunsWithTheirParamsLinedUpAndTheDifferencesMarked() {
        JsonNode pair = me.get().uri("/api/compare?a={a}&b={b}", gd, sgdRun).exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(pair.path("kind").asString()).isEqualTo("train");
        assertThat(pair.path("a").path("id").asString()).isEqualTo(gd);
        assertThat(pair.path("b").path("id").asString()).isEqualTo(sgdRun);
        assertThat(pair.path("b").path("links").path("events").asString()).isEqualTo("/api/runs/" + sgdRun + "/events");
        Map<String, JsonNode> rows = new HashMap<>();
        pair.path("params").forEach(row -> rows.put(row.path("name").asString(), row));
        assertThat(rows.get("batchSize").path("a").asString()).isEqualTo("9003");
        assertThat(rows.get("batchSize").path("b").asString()).isEqualTo("16");
        assertThat(rows.get("activation").path("b").asString()).isEqualTo("relu");
        for (String differs : new String[] {"batchSize", "steps", "activation", "learningRate"}) {
            assertThat(rows.get(differs).path("differs").asBoolean()).as(differs).isTrue();
        }
        for (String same : new String[] {"hidden", "seed"}) {
            assertThat(rows.get(same).path("differs").asBoolean()).as(same).isFalse();
        }
        assertThat(pair.path("links").path("page").asString()).isEqualTo("/compare?a=" + gd + "&b=" + sgdRun);

        String page = html("/compare?a=" + gd + "&b=" + sgdRun, 200);
        assertThat(page).contains("data-a=\"" + gd + "\"").contains("data-b=\"" + sgdRun + "\"")
                .contains("data-kind=\"train\"").containsPattern("/js/compare-[0-9a-f]{32}\\.js")
                .contains("<tr data-param=\"batchSize\" data-differs=\"true\" class=\"compare-differs\">")
                .containsPattern("<tr data-param=\"hidden\" data-differs=\"false\">")
                .doesNotContain("null").doesNotContain("undefined");
    }

    @Test
    void theSameRunTwiceIsFineAndDiffersNowhere() {
        JsonNode pair = me.get().uri("/api/compare?a={a}&b={a}", gd, gd).exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        pair.path("params").forEach(row -> assertThat(row.path("differs").asBoolean()).isFalse());
    }

    @Test
    void withOnlyAThePageOffersTheSessionsOtherRunsOfItsKind() {
        String other = startRun(me, "ticker", ticker(1, 1)).path("id").asString();
        String page = html("/compare?a=" + gd, 200);
        assertThat(page).contains("Compare this train run with…")
                .contains("href=\"/compare?a=" + gd + "&amp;b=" + sgdRun + "\"")
                .doesNotContain("b=" + gd + "\"").doesNotContain(other);
    }

    @Test
    void everyWrongIdIsNamedAsAOrBNeverA5xx() {
        problem("/api/compare", 400, "a");
        problem("/api/compare?a=" + gd, 400, "b");
        problem("/api/compare?a={a}&b=" + gd, 400, "a", "<b>nope");
        problem("/api/compare?a=" + UNKNOWN + "&b=" + gd, 404, "a");
        problem("/api/compare?a=" + gd + "&b=" + UNKNOWN, 404, "b");
        problem("/api/compare?a=" + gd + "&b=" + gd + "x", 400, "b");

        assertThat(html("/compare?a=" + gd + "&b=" + UNKNOWN, 404)).contains("A run to compare does not exist")
                .contains("The second run (b): No run has the id " + UNKNOWN);
        assertThat(html("/compare?a={a}&b=" + gd, 400, "<b>nope")).contains("Which runs to compare?")
                .contains("&lt;b&gt;").doesNotContain("<b>nope");
        assertThat(html("/compare", 400)).contains("a is required");
        assertThat(html("/compare?a=" + UNKNOWN, 404)).contains("The first run (a)");
    }

    @Test
    void runsOfDifferentKindsAreRefusedNamingBothKinds() {
        String tick = finished(me, startRun(me, "ticker", ticker(2, 1)));
        JsonNode problem = problem("/api/compare?a=" + gd + "&b=" + tick, 400, "b");
        assertThat(problem.path("detail").asString()).contains("ticker").contains("train").contains("same kind");
        assertThat(html("/compare?a=" + gd + "&b=" + tick, 400)).contains("These two runs cannot be compared")
                .contains("b is a ticker run and a is a train run");
    }

    @Test
    void anExpiredRunSaysItExpired() {
        String gone = RandomIds.next();
        jdbc.sql("insert into expired_runs (id, expired_at, reason, last_used_at, shared) "
                + "values (?, now() - interval '2 days', 'age', now() - interval '32 days', false)").param(gone).update();
        problem("/api/compare?a=" + gd + "&b=" + gone, 410, "b");
        assertThat(html("/compare?a=" + gd + "&b=" + gone, 410)).contains("A run to compare has expired")
                .contains("The second run (b): The run " + gone + " expired on");
    }

    private JsonNode problem(String uri, int status, String field, Object... vars) {
        JsonNode body = me.get().uri(uri, vars).accept(MediaType.APPLICATION_JSON).exchange()
                .expectStatus().isEqualTo(status)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(body.path("field").asString()).as(uri).isEqualTo(field);
        return body;
    }

    private String html(String uri, int status, Object... vars) {
        return me.get().uri(uri, vars).accept(MediaType.TEXT_HTML).exchange().expectStatus().isEqualTo(status)
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
                .expectBody(String.class).returnResult().getResponseBody();
    }
}
