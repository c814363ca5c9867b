package dev.deepscope.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.deepscope.Browsers;
import dev.deepscope.DeepScopeTest;
import dev.deepscope.web.BrowserSession;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.Disposable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A person trains a network on /learning and watches it through the run player (one step = one recorded
 * point), scrubs back while it trains, races GD against SGD, maps the landscape, inspects backprop, opens a
 * share link, and on a phone sees a dead ReLU network called stuck without the page scrolling sideways.
 */
@DeepScopeTest
class LearningPageBrowserTest extends BrowserTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    WebTestClient http;

    @Test
    void aRunPlaysPointByPointScrubsBackWhileTrainingRacesAndReplaysFromItsShareLink() throws Exception {
        size(1366, 900);
        open("/learning");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        WebElement chart = browser.findElement(By.id("cost-chart"));
        WebElement player = browser.findElement(By.cssSelector("#train-player[data-run-player]"));
        WebElement readout = browser.findElement(By.id("train-readout"));

        // a long run: pause and scrub back while it goes on training, then stop it
        type("steps", "20000");
        browser.findElement(By.id("start")).click();
        wait.until(d -> count(player, "data-steps") >= 4
                && browser.findElements(By.cssSelector("#weight-pictures canvas")).size() == 16);
        scrub(1);
        assertThat(player.getDomAttribute("data-state")).isEqualTo("paused");
        int secondStep = count(readout, "data-step");
        assertThat(secondStep).isPositive();
        int pausedAt = count(player, "data-steps");
        wait.until(d -> count(player, "data-steps") > pausedAt + 3);  // training goes on behind the paused display
        assertThat(count(player, "data-step")).isEqualTo(1);
        assertThat(count(chart, "data-points")).isEqualTo(2);
        browser.findElement(By.id("stop")).click();
        wait.until(d -> browser.findElement(By.id("train-status")).getText().contains("cancelled"));
        WebElement page = browser.findElement(By.id("learning"));
        assertThat(page.getDomAttribute("data-trained")).matches("[A-Za-z0-9_-]{22}");
        assertThat(secondStep).as("the readout shows the second recorded point's step")
                .isEqualTo(events(page.getDomAttribute("data-trained"), "metric").get(1).path("step").asInt());

        // a short run to the end: the scrubber spans its recorded points, each shows its own step and pictures
        type("steps", "150");
        browser.findElement(By.id("start")).click();
        wait.until(d -> browser.findElement(By.id("train-status")).getText().contains("done"));
        String id = page.getDomAttribute("data-trained");
        List<JsonNode> metrics = events(id, "metric");
        List<JsonNode> pictures = events(id, "weights");
        WebElement range = player.findElement(By.cssSelector("input[type=range]"));
        assertThat(count(range, "max")).isEqualTo(metrics.size() - 1);
        screenshot("learning-training");
        for (int k : new int[] {metrics.size() / 2, 0, metrics.size() - 1}) {
            scrub(k);
            int step = metrics.get(k).path("step").asInt();
            assertThat(count(readout, "data-step")).isEqualTo(step);
            assertThat(readout.getText()).startsWith("step " + step + " of 150 · ");
            assertThat(count(chart, "data-points")).isEqualTo(k + 1);
            int picture = pictures.stream().mapToInt(p -> p.path("step").asInt()).filter(s -> s <= step).max().orElseThrow();
            assertThat(count(browser.findElement(By.id("weight-pictures")), "data-step")).isEqualTo(picture);
        }
        WebElement diagnosis = browser.findElement(By.id("train-diagnosis"));
        assertThat(diagnosis.isDisplayed()).isTrue();                 // shown with the last point
        assertThat(diagnosis.getText()).startsWith("Learned: C fell from");
        scrub(3);
        assertThat(diagnosis.isDisplayed()).isFalse();                // …not before it

        new Select(browser.findElement(By.id("resolution"))).selectByValue("11");
        browser.findElement(By.id("map")).click();
        WebElement landscape = browser.findElement(By.id("landscape"));
        wait.until(d -> "11".equals(landscape.getDomAttribute("data-resolution")));
        assertThat(browser.findElement(By.id("landscape-readout")).getText()).contains("C at the centre");

        type("w-layer", "2");
        type("w-row", "3");
        type("w-col", "5");
        browser.findElement(By.id("inspect")).click();
        WebElement factors = browser.findElement(By.id("factors"));
        wait.until(d -> "true".equals(factors.getDomAttribute("data-ready")));
        double autodiff = Double.parseDouble(factors.getDomAttribute("data-autodiff"));
        double finite = Double.parseDouble(factors.getDomAttribute("data-finite-difference"));
        assertThat(finite).isCloseTo(autodiff, within(1e-4 * Math.abs(autodiff) + 1e-10));
        assertThat(browser.findElements(By.cssSelector("#blame canvas.blame-pixels"))).hasSize(16);
        screenshot("learning-inspect");

        // the race: GD with every digit against SGD with the race's own m, started together
        type("batch-size", "64");                     // the main form's m is not the race's
        type("race-gd-steps", "3");
        type("race-sgd-batch", "16");
        type("race-sgd-steps", "40");
        browser.findElement(By.id("race")).click();
        WebElement status = browser.findElement(By.id("race-status"));
        wait.until(d -> status.getText().contains("GD done") && status.getText().contains("SGD done"));
        WebElement examples = browser.findElement(By.id("race-examples"));
        wait.until(d -> count(examples, "data-gd-points") >= 4 && count(examples, "data-sgd-points") >= 41);
        assertThat(status.getText()).contains("GD: m = 9003, 3 steps; SGD: m = 16, 40 steps");
        WebElement racePlayer = browser.findElement(By.cssSelector("#race-player[data-run-player]"));
        assertThat(count(racePlayer.findElement(By.cssSelector("input[type=range]")), "max"))
                .isEqualTo(count(examples, "data-gd-points") + count(examples, "data-sgd-points") - 1);
        browser.executeScript("document.getElementById('race-panel').scrollIntoView()");
        screenshot("learning-race");

        // the share link opens the recorded run at its first point and plays it at the page's pace
        open("/r/" + id);
        WebElement shared = browser.findElement(By.cssSelector("#train-player[data-run-player]"));
        wait.until(d -> count(shared, "data-steps") == metrics.size());
        assertThat(count(shared, "data-step")).as("opens near the start, not at the end").isLessThan(metrics.size() / 2);
        assertThat(shared.getDomAttribute("data-state")).isEqualTo("playing");
        assertThat(browser.findElement(By.id("steps")).getDomProperty("value")).isEqualTo("150");
        wait.until(d -> "ended".equals(shared.getDomAttribute("data-state")));
        assertThat(count(browser.findElement(By.id("train-readout")), "data-step")).isEqualTo(150);

        assertThat(consoleErrors()).as("browser console errors (CSP violations, script errors)").isEmpty();
    }

    @Test
    void aRunStillTrainingOpensFromItsShareLinkWithAStopOnlyForItsOwner() throws Exception {
        String owner = Browsers.newSession(http);
        WebTestClient owned = Browsers.as(http, owner).mutate().responseTimeout(Duration.ofSeconds(30)).build();
        String id = Browsers.startRun(owned, "train", Map.of("hidden", List.of(16, 16), "activation", "sigmoid",
                "learningRate", 3, "batchSize", 32, "steps", 20_000, "seed", 1)).path("id").asString();
        // the owner's own stream keeps it from being cancelled as unwatched while the browser opens the link
        Disposable watching = owned.get().uri("/api/runs/{id}/events", id).accept(MediaType.TEXT_EVENT_STREAM)
                .exchange().returnResult(String.class).getResponseBody().subscribe();
        try {
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
            size(1366, 900);
            open("/r/" + id);
            WebElement player = browser.findElement(By.cssSelector("#train-player[data-run-player]"));
            WebElement stop = browser.findElement(By.id("stop"));
            wait.until(d -> count(player, "data-steps") >= 3);   // followed live
            assertThat(browser.findElement(By.id("train-status")).getText()).contains(id).doesNotContain("cancelled");
            assertThat(stop.isDisplayed()).as("a visitor gets no Stop for someone else's run").isFalse();
            screenshot("learning-shared-live-visitor");
            size(390, 844);
            open("/r/" + id);
            WebElement phonePlayer = browser.findElement(By.cssSelector("#train-player[data-run-player]"));
            wait.until(d -> count(phonePlayer, "data-steps") >= 3);
            assertThat(browser.findElement(By.id("stop")).isDisplayed()).isFalse();
            browser.executeScript("document.getElementById('start').scrollIntoView()");
            screenshot("learning-shared-live-visitor-phone");
            assertThat(((Number) browser.executeScript("return document.documentElement.scrollWidth")).intValue())
                    .isLessThanOrEqualTo(390);

            // the owner opening the same link may stop it
            browser.manage().addCookie(new Cookie(BrowserSession.COOKIE, owner, "/"));
            size(1366, 900);
            open("/r/" + id);
            WebElement ownersStop = browser.findElement(By.id("stop"));
            wait.until(d -> ownersStop.isDisplayed() && ownersStop.isEnabled());
            screenshot("learning-shared-live-owner");
            ownersStop.click();
            wait.until(d -> browser.findElement(By.id("train-status")).getText().contains("cancelled"));
            assertThat(consoleErrors()).as("browser console errors (CSP violations, script errors)").isEmpty();
        } finally {
            watching.dispose();
            owned.delete().uri("/api/runs/{id}", id).exchange();
        }
    }

    @Test
    void onAPhoneAReluNetworkAtAnAbsurdRateIsCalledStuckAndNothingScrollsSideways() throws Exception {
        size(390, 844);
        open("/learning");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        new Select(browser.findElement(By.id("activation"))).selectByValue("relu");
        assertThat(browser.findElement(By.id("learning-rate")).getDomProperty("value"))
                .as("η follows the activation's default").isEqualTo("0.4");
        type("learning-rate", "10");
        type("steps", "30");
        browser.findElement(By.id("start")).click();
        WebElement diagnosis = browser.findElement(By.id("train-diagnosis"));
        wait.until(d -> diagnosis.isDisplayed());
        assertThat(diagnosis.getDomAttribute("data-verdict")).isEqualTo("stuck");
        assertThat(diagnosis.getText()).startsWith("Stuck").contains("Try a smaller η (0.4 is a good start)");
        browser.executeScript("document.getElementById('cost-chart').scrollIntoView()");
        screenshot("learning-phone-stuck");
        // switching back keeps the learner's own η
        new Select(browser.findElement(By.id("activation"))).selectByValue("sigmoid");
        assertThat(browser.findElement(By.id("learning-rate")).getDomProperty("value")).isEqualTo("10");

        browser.findElement(By.id("inspect")).click();
        WebElement factors = browser.findElement(By.id("factors"));
        wait.until(d -> "true".equals(factors.getDomAttribute("data-ready")));
        browser.executeScript("document.getElementById('factors').scrollIntoView()");
        screenshot("learning-phone-backprop");
        type("learning-rate", "3");
        type("race-gd-steps", "2");
        type("race-sgd-steps", "20");
        browser.findElement(By.id("race")).click();
        WebElement race = browser.findElement(By.cssSelector("#race-player[data-run-player]"));
        wait.until(d -> "ended".equals(race.getDomAttribute("data-state")));
        browser.executeScript("document.getElementById('race-examples').scrollIntoView()");
        screenshot("learning-phone-race");

        assertThat(((Number) browser.executeScript("return document.documentElement.scrollWidth")).intValue())
                .as("the page is no wider than the phone").isLessThanOrEqualTo(390);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> small = (List<Map<String, Object>>) browser.executeScript("""
                return [...document.querySelectorAll(['#train-panel', '#race-panel', '#landscape-panel', '#backprop-panel']
                    .flatMap(p => [p + ' button', p + ' input', p + ' select']).join(','))]
                  .filter(e => e.offsetParent !== null)
                  .map(e => ({ id: e.id || e.className, w: e.getBoundingClientRect().width, h: e.getBoundingClientRect().height }))
                  .filter(r => r.w < 24 || r.h < 24);""");
        assertThat(small).as("tap targets under 24 px").isEmpty();
        assertThat(consoleErrors()).as("browser console errors (CSP violations, script errors)").isEmpty();
    }

    /** The viewport (not the window) at this size, as a phone or a laptop shows the page. */
    private void size(int width, int height) {
        browser.manage().window().setSize(new Dimension(width, height));
        long innerWidth = (Long) browser.executeScript("return window.innerWidth");
        long innerHeight = (Long) browser.executeScript("return window.innerHeight");
        browser.manage().window().setSize(new Dimension(2 * width - (int) innerWidth, 2 * height - (int) innerHeight));
    }

    /** Moves the player's scrubber as a person dragging it would: value, then an input event. */
    private void scrub(int index) {
        browser.executeScript("const r = document.querySelector('#train-player input[type=range]');"
                + "r.value = arguments[0]; r.dispatchEvent(new Event('input'));", index);
    }

    /** The run's recorded events of one type, read from the API (not from the page). */
    private List<JsonNode> events(String id, String type) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/api/runs/" + id + "/events")).build(),
                HttpResponse.BodyHandlers.ofString());
        List<JsonNode> found = new ArrayList<>();
        String event = null;
        for (String line : response.body().split("\n")) {
            if (line.startsWith("event:")) {
                event = line.substring(6).trim();
            } else if (line.startsWith("data:") && type.equals(event)) {
                found.add(JSON.readTree(line.substring(5)));
            }
        }
        return found;
    }

    private static int count(WebElement element, String attribute) {
        return Integer.parseInt(element.getDomAttribute(attribute));
    }

    private void type(String id, String value) {
        WebElement input = browser.findElement(By.id(id));
        input.clear();
        input.sendKeys(value);
    }
}
