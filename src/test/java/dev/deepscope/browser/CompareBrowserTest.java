package dev.deepscope.browser;

import static dev.deepscope.Browsers.as;
import static dev.deepscope.Browsers.finished;
import static dev.deepscope.Browsers.gradientDescent;
import static dev.deepscope.Browsers.sgd;
import static dev.deepscope.Browsers.startRun;
import static dev.deepscope.Browsers.newSession;
import static org.assertj.core.api.Assertions.assertThat;

import dev.deepscope.DeepScopeTest;
import dev.deepscope.web.BrowserSession;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * /compare as a person uses it: two train runs (GD 3 steps against ReLU SGD 20 steps), two generations (T = 0.2
 * against T = 1.5), two diffusions (w = 1 in 10 steps against w = 7 in 16) and two tiny GPTs trained for 2 s
 * (characters against BPE) each in one player; stepping moves both sides to the same step, and the shorter run holds its
 * last. Looked at on a laptop and a phone.
 */
@DeepScopeTest
class CompareBrowserTest extends BrowserTest {

    private static final String SCRUB = """
            const s = document.querySelector('#compare-player input[type=range]');
            s.value = arguments[0]; s.dispatchEvent(new Event('input'));""";

    @Autowired
    WebTestClient http;

    @Test
    void onePlayerStepsBothRunsTogether() throws Exception {
        // the runs are the browser's own: its history lists them, and "compare with…" offers them
        String session = newSession(http);
        WebTestClient me = as(http, session);
        open("/favicon.svg");
        browser.manage().addCookie(new Cookie(BrowserSession.COOKIE, session, "/"));
        Map<String, Object> relu = new HashMap<>(sgd());
        relu.put("activation", "relu");
        relu.put("learningRate", 0.4);
        String gd = finished(me, startRun(me, "train", gradientDescent()));
        String sgd = finished(me, startRun(me, "train", relu));
        String cold = finished(me, startRun(me, "generate", generate(0.2)));
        String hot = finished(me, startRun(me, "generate", generate(1.5)));
        String w1 = finished(me, startRun(me, "diffuse", Map.of("digit", 3, "guidance", 1, "steps", 10, "seed", 2)));
        String w7 = finished(me, startRun(me, "diffuse", Map.of("digit", 3, "guidance", 7, "steps", 16, "seed", 2)));
        // two tiny GPTs trained for 2 s on chapter 1, one on characters and one on our BPE, side by side
        String chars = finished(me, startRun(me, "train-text", Map.of("chapter", 1, "seconds", 2, "tokenizer", "char",
                "seed", 1)));
        String bpe = finished(me, startRun(me, "train-text", Map.of("chapter", 1, "seconds", 2, "tokenizer", "bpe",
                "seed", 1)));

        long started = System.nanoTime();
        for (String[] pair : List.of(new String[] {"train", gd, sgd}, new String[] {"generate", cold, hot},
                new String[] {"diffuse", w1, w7}, new String[] {"train-text", chars, bpe})) {
            Screens.laptop(browser);
            open("/compare?a=" + pair[1] + "&b=" + pair[2]);
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
            wait.until(d -> "true".equals(attribute("compare", "data-done")));
            int stepsA = steps("a"), stepsB = steps("b");
            int total = Integer.parseInt(attribute("compare-player", "data-steps"));
            assertThat(total).isEqualTo(Math.max(stepsA, stepsB)).isGreaterThan(2);

            browser.executeScript(SCRUB, "0");
            browser.findElement(By.cssSelector("#compare-player .player-forward")).click();
            wait.until(d -> "1".equals(attribute("compare-player", "data-step")));
            assertThat(attribute("compare-a", "data-step")).isEqualTo("1");
            assertThat(attribute("compare-b", "data-step")).isEqualTo("1");

            browser.executeScript(SCRUB, String.valueOf(total - 1));
            wait.until(d -> String.valueOf(total - 1).equals(attribute("compare-player", "data-step")));
            for (String side : List.of("a", "b")) {
                int own = side.equals("a") ? stepsA : stepsB;
                assertThat(attribute("compare-" + side, "data-step")).as(side).isEqualTo(String.valueOf(own - 1));
                assertThat(attribute("compare-" + side, "data-held")).as(side).isEqualTo(String.valueOf(own < total));
            }
            if (pair[0].equals("train")) {
                assertThat(Integer.parseInt(attribute("compare-chart", "data-points"))).isEqualTo(stepsA + stepsB);
                assertThat(browser.findElements(By.cssSelector("#compare-b .compare-weights canvas"))).hasSize(4);
            } else if (pair[0].equals("generate")) {
                assertThat(browser.findElements(By.cssSelector("#compare-a .compare-bar"))).hasSizeGreaterThan(1);
            } else if (pair[0].equals("train-text")) {
                assertThat(Integer.parseInt(attribute("compare-chart", "data-points"))).isEqualTo(stepsA + stepsB);
                assertThat(browser.findElement(By.cssSelector("#compare-b .compare-text")).getText()).startsWith("after ");
                assertThat(browser.findElement(By.id("compare-a")).getText()).contains("Held-out bits per character");
            } else {
                assertThat(stepsA).isEqualTo(10);
                assertThat(stepsB).isEqualTo(16);
                // both at their last step: each shows its final image
                assertThat(browser.findElements(By.cssSelector(".compare-frame:not([hidden]) canvas"))).hasSize(6);
            }
            looksRight(pair[0] + "-1366");
            System.out.printf("MEASURE compare browser: %s opened and stepped at 1366×900 after %d ms%n", pair[0],
                    (System.nanoTime() - started) / 1_000_000);
            if (pair[0].equals("diffuse")) {
                continue;   // looked at on a phone by hand; the two other kinds check the phone here
            }
            Screens.phone(browser);
            browser.navigate().refresh();
            wait.until(d -> "true".equals(attribute("compare", "data-done")));
            browser.executeScript(SCRUB, String.valueOf(total / 2));
            looksRight(pair[0] + "-390");
        }
        // "compare with…" from run A on a phone: pick the other train run of the session, land on the pair
        Screens.phone(browser);
        open("/compare?a=" + gd);
        browser.findElement(By.cssSelector("a.compare-pick[href$='b=" + sgd + "']")).click();
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> "true".equals(attribute("compare", "data-done")));
        assertThat(attribute("compare", "data-b")).isEqualTo(sgd);
        open("/compare?a=" + gd);
        looksRight("pick-390");
        System.out.printf("MEASURE compare browser: in all %d ms%n",
                (System.nanoTime() - started) / 1_000_000);
        // the browser asks for /favicon.ico once, for the favicon.svg opened to set the cookie (pages link the svg)
        assertThat(consoleErrors()).allMatch(e -> e.getMessage().contains("/favicon.ico"), "only the favicon");
    }

    private void looksRight(String screen) throws Exception {
        String text = browser.findElement(By.tagName("main")).getText();
        assertThat(text).doesNotContain("undefined").doesNotContain("NaN").doesNotContain("null").doesNotContain("\uFFFD");
        assertThat((List<?>) browser.executeScript(Screens.WIDER_THAN_SCREEN)).as("sticks out sideways").isEmpty();
        Screens.fullPage(browser, "compare-" + screen);
    }

    private int steps(String side) {
        return Integer.parseInt(attribute("compare-" + side, "data-steps"));
    }

    private String attribute(String id, String name) {
        return browser.findElement(By.id(id)).getDomAttribute(name);
    }

    private static Map<String, Object> generate(double temperature) {
        return Map.of("prompt", "Call me Ishmael. Some years ago", "maxTokens", 12, "temperature", temperature,
                "seed", 3);
    }
}
