package dev.deepscope.web;

import static dev.deepscope.Browsers.as;
import static dev.deepscope.Browsers.classify;
import static dev.deepscope.Browsers.ids;
import static dev.deepscope.Browsers.newSession;
import static dev.deepscope.Browsers.startRun;
import static org.assertj.core.api.Assertions.assertThat;

import dev.deepscope.DeepScopeTest;
import dev.deepscope.system.RandomIds;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.ResponseCookie;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/** Only ids this server issued are sessions: a cookie that does not verify gets a fresh session, never an error. */
@DeepScopeTest
class SignedSessionsTest {

    @Autowired
    WebTestClient http;

    @Test
    void aValidCookieKeepsItsHistoryAndIsNotReplaced() {
        String cookie = newSession(http);
        String run = startRun(as(http, cookie), "ticker", java.util.Map.of("ticks", 1)).path("id").asString();
        EntityExchangeResult<JsonNode> answer = history(as(http, cookie));
        assertThat(ids(answer.getResponseBody())).containsExactly(run);
        assertThat(answer.getResponseCookies().getFirst(BrowserSession.COOKIE)).as("no new cookie").isNull();
    }

    /** A cookie of the same name from a sibling host or a narrower path, sent first, must not cost the session. */
    @Test
    void aForgedCookieSentBesideAValidOneDoesNotReplaceIt() {
        String cookie = newSession(http);
        String run = startRun(as(http, cookie), "ticker", java.util.Map.of("ticks", 1)).path("id").asString();
        EntityExchangeResult<JsonNode> answer = http.get().uri("/api/history")
                .header("Cookie", BrowserSession.COOKIE + "=forged; " + BrowserSession.COOKIE + "=" + cookie)
                .exchange().expectStatus().isOk().expectBody(JsonNode.class).returnResult();
        assertThat(ids(answer.getResponseBody())).containsExactly(run);
        assertThat(answer.getResponseCookies().getFirst(BrowserSession.COOKIE)).as("no new cookie").isNull();
    }

    @Test
    void aForgedCookieGetsAFreshSessionThatDoesNotSeeTheVictimsHistory() {
        String victim = newSession(http);
        String victimId = victim.substring(0, victim.indexOf('.'));
        String run = startRun(as(http, victim), "classify", classify("cnn")).path("id").asString();
        assertThat(ids(history(as(http, victim)).getResponseBody())).containsExactly(run);

        String signature = victim.substring(victim.indexOf('.') + 1);
        List<String> forgeries = List.of(
                victimId,                                              // the old unsigned form: the id alone
                victimId + "." + (signature.charAt(0) == 'A' ? 'B' : 'A') + signature.substring(1),
                victimId + ".",
                RandomIds.next() + "." + signature,
                "garbage", "", "x".repeat(4000) + "." + signature);
        for (String forged : forgeries) {
            EntityExchangeResult<JsonNode> answer = history(as(http, forged));
            assertThat(ids(answer.getResponseBody())).as(forged).isEmpty();
            ResponseCookie fresh = answer.getResponseCookies().getFirst(BrowserSession.COOKIE);
            assertThat(fresh).as("a fresh signed id for " + forged).isNotNull();
            assertThat(fresh.getValue()).matches("[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}").doesNotStartWith(victimId);
            assertThat(ids(history(as(http, fresh.getValue())).getResponseBody())).isEmpty();
        }
    }

    @Test
    void twoClientsSendingTheSameForgedValueDoNotShareAHistory() {
        String chosen = "AAAAAAAAAAAAAAAAAAAAAA";   // a well-formed id, chosen rather than issued
        WebTestClient first = as(http, chosen);
        WebTestClient second = as(http, chosen);
        String run = startRun(first, "ticker", java.util.Map.of("ticks", 1)).path("id").asString();
        assertThat(ids(history(second).getResponseBody())).doesNotContain(run).isEmpty();
        assertThat(ids(history(first).getResponseBody())).as("not even the first: the id was never issued").isEmpty();
    }

    private static EntityExchangeResult<JsonNode> history(WebTestClient client) {
        return client.get().uri("/api/history?size=100").exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult();
    }
}
