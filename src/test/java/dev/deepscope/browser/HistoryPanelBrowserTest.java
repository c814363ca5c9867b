package dev.deepscope.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deepscope.Browsers;
import dev.deepscope.DeepScopeTest;
import dev.deepscope.web.BrowserSession;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/** A learner with more than a page of runs pages back through them and filters them by kind. */
@DeepScopeTest
class HistoryPanelBrowserTest extends BrowserTest {

    @Autowired
    WebTestClient http;

    @Test
    void olderShowsTheNextRunsAndAKindFilterShowsOnlyThatKind() throws Exception {
        Screens.laptop(browser);
        open("/");
        WebTestClient me = Browsers.as(http, browser.manage().getCookieNamed(BrowserSession.COOKIE).getValue());
        // 14 runs: 11 test digits, then a training, a text and a diffusion run (newest first: diffuse, generate, train, …)
        List<String> newestFirst = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            JsonNode sample = me.get().uri("/api/digits/samples/{i}", i * 89).exchange()
                    .expectBody(JsonNode.class).returnResult().getResponseBody();
            newestFirst.add(0, Browsers.finished(me, Browsers.startRun(me, "classify",
                    Map.of("model", i % 2 == 0 ? "cnn" : "mlp-sigmoid", "pixels", sample.path("pixels")))));
        }
        newestFirst.add(0, Browsers.finished(me, Browsers.startRun(me, "train", Map.of("hidden", List.of(16, 16),
                "activation", "sigmoid", "learningRate", 3, "batchSize", 32, "steps", 300, "seed", 1))));
        newestFirst.add(0, Browsers.finished(me, Browsers.startRun(me, "generate", Map.of("prompt",
                "Call me Ishmael. Some years ago, never mind how long precisely, having little or no money",
                "maxTokens", 20, "seed", 1))));
        newestFirst.add(0, Browsers.finished(me, Browsers.startRun(me, "diffuse",
                Map.of("digit", 4, "steps", 20, "space", "latent", "seed", 3))));

        open("/");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        wait.until(d -> runsShown().size() == 10);
        assertThat(runsShown()).containsExactlyElementsOf(newestFirst.subList(0, 10));
        assertThat(browser.findElements(By.cssSelector("#history img.history-thumb"))).hasSize(10);
        assertThat(browser.findElement(By.id("history")).getText()).doesNotContain("null")
                .contains("test digit #").contains("784-16-16-10 sigmoid, η 3, m 32, 300 steps")
                .contains("“Call me Ishmael.").contains("diffusion: digit 4");
        WebElement history = browser.findElement(By.id("history"));
        browser.executeScript("arguments[0].scrollIntoView({block: 'start'})", history);
        Screens.viewport(browser, "history-1366");

        browser.findElement(By.cssSelector("#history .history-older")).click();
        wait.until(d -> runsShown().equals(newestFirst.subList(10, 14)));
        assertThat(browser.findElements(By.cssSelector("#history .history-older"))).isEmpty();
        browser.findElement(By.cssSelector("#history .history-newer")).click();
        wait.until(d -> runsShown().equals(newestFirst.subList(0, 10)));

        browser.findElement(By.cssSelector("#history .history-filters [data-kind=train]")).click();
        wait.until(d -> runsShown().equals(newestFirst.subList(2, 3)));
        assertThat(browser.findElement(By.cssSelector("#history .history-filters [data-kind=train]"))
                .getDomAttribute("aria-pressed")).isEqualTo("true");
        browser.findElement(By.cssSelector("#history .history-filters [data-kind=classify]")).click();
        wait.until(d -> runsShown().equals(newestFirst.subList(3, 13)));
        browser.findElement(By.cssSelector("#history .history-older")).click();
        wait.until(d -> runsShown().equals(newestFirst.subList(13, 14)));
        assertThat(browser.findElements(By.cssSelector("#history li[data-kind]")))
                .allSatisfy(li -> assertThat(li.getDomAttribute("data-kind")).isEqualTo("classify"));

        Screens.phone(browser);
        open("/digits");
        wait.until(d -> runsShown().size() == 10);
        browser.executeScript("arguments[0].scrollIntoView({block: 'start'})", browser.findElement(By.id("history")));
        assertThat(((Number) browser.executeScript("return document.documentElement.scrollWidth")).intValue())
                .isLessThanOrEqualTo(390);
        assertThat(browser.executeScript(Screens.SMALL_TAP_TARGETS, "#history a, #history button"))
                .as("links and buttons smaller than 24 px").isEqualTo(List.of());
        Screens.viewport(browser, "history-390");
        assertThat(consoleErrors()).isEmpty();
    }

    /** Read in one script, since htmx may swap the list between two WebDriver calls. */
    @SuppressWarnings("unchecked")
    private List<String> runsShown() {
        return (List<String>) browser.executeScript(
                "return [...document.querySelectorAll('#history li[data-run]')].map(li => li.dataset.run)");
    }
}
