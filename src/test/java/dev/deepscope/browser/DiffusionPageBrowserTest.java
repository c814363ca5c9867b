package dev.deepscope.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deepscope.DeepScopeTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A person on /diffusion: asks for a digit or a prompt, watches the reverse process step by step in the
 * run player, draws the guidance grid, compares pixel and latent space and reads CLIP's matrix; and opens
 * someone's shared run.
 */
@DeepScopeTest
class DiffusionPageBrowserTest extends BrowserTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private WebTestClient http;

    @Autowired
    void http(WebTestClient client) {
        // a busy machine may take longer than the default 5 s to answer
        http = client.mutate().responseTimeout(Duration.ofSeconds(60)).build();
    }

    @Test
    void thePlayerShowsEachDenoisingStepThenTheFinishedDigit() throws Exception {
        viewport(1366, 900, false);
        open("/diffusion");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        WebElement frames = browser.findElement(By.id("reverse-frames"));
        // the forward process draws x_t once the schedule and a real digit have arrived
        wait.until(d -> browser.findElement(By.id("forward-xt-caption")).getText().contains("√ᾱ"));

        setNumber("diffuse-steps", "12");
        browser.findElement(By.id("diffuse-noise")).click();
        browser.findElement(By.id("diffuse-start")).click();
        wait.until(d -> "true".equals(frames.getDomAttribute("data-done")));
        assertThat(frames.getDomAttribute("data-frames")).isEqualTo("12");
        String runId = browser.findElement(By.cssSelector("#run-status a")).getText();
        List<JsonNode> events = events(runId);
        JsonNode first = events.get(1), done = events.get(events.size() - 1);

        WebElement scrubber = browser.findElement(By.cssSelector("#reverse-player[data-run-player] input[type=range]"));
        assertThat(scrubber.getDomProperty("max")).isEqualTo("11");
        browser.executeScript("document.getElementById('reverse-panel').scrollIntoView()");
        scrub(0);
        assertThat(browser.findElement(By.id("reverse-x")).getDomAttribute("data-index")).isEqualTo("0");
        assertThat(pixels("reverse-x")).isEqualTo(gray(first.path("x")));
        assertThat(pixels("reverse-eps-cond")).isEqualTo(gray(first.path("noiseConditional")));
        WebElement position = browser.findElement(By.cssSelector("#reverse-player .player-position"));
        String atStart = position.getText();
        assertThat(atStart).isEqualTo("step 1 of 12 · t = " + first.path("t").asInt());
        assertThat(browser.findElement(By.id("reverse-caption")).getText()).isEqualTo("x_t · t = " + first.path("t").asInt());
        assertThat(browser.findElement(By.id("reverse-final")).getDomAttribute("data-shown")).isEqualTo("false");
        screenshot("diffusion-player-step-0");

        scrub(11);
        assertThat(browser.findElement(By.id("reverse-final")).getDomAttribute("data-shown")).isEqualTo("true");
        assertThat(pixels("reverse-final")).isEqualTo(gray(done.path("image")));
        JsonNode last = events.get(events.size() - 2);
        assertThat(position.getText()).isEqualTo("step 12 of 12 · t = " + last.path("t").asInt()).isNotEqualTo(atStart);
        assertThat(browser.findElement(By.id("reverse-caption")).getText()).isEqualTo("x_t · t = " + last.path("t").asInt());
        assertThat(pixels("reverse-x")).isEqualTo(gray(last.path("x")));
        screenshot("diffusion-player-end");
        viewport(390, 844, true);
        browser.executeScript("document.getElementById('reverse-player').scrollIntoView()");
        assertThat(pageWidth()).isLessThanOrEqualTo(390);
        assertThat(smallTapTargets()).isEmpty();
        screenshot("diffusion-phone-player-end");
        viewport(1366, 900, false);

        // a new run clears every pane, ε included, before its first step
        browser.findElement(By.id("diffuse-noise")).click();
        browser.findElement(By.id("diffuse-start")).click();
        wait.until(d -> "true".equals(frames.getDomAttribute("data-done")));
        scrub(0);
        assertThat(pixels("reverse-eps-cond")).containsOnly(0L);
        assertThat(browser.findElement(By.id("reverse-eps-cond")).getDomAttribute("class")).contains("blank");
        assertThat(consoleErrors()).isEmpty();
    }

    @Test
    void aDoubleClickDrawsOneGridAndLongWorkShowsProgressAndNothingScrollsSidewaysOnAPhone() throws Exception {
        viewport(1366, 900, false);
        open("/diffusion");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(90));
        setNumber("diffuse-steps", "4");
        new Select(browser.findElement(By.id("diffuse-space"))).selectByValue("latent");
        WebElement start = browser.findElement(By.id("guidance-grid-start"));
        new Actions(browser).doubleClick(start).perform();
        WebElement status = browser.findElement(By.id("guidance-grid-status"));
        assertThat(status.isDisplayed()).isTrue();
        wait.until(d -> "idle".equals(status.getDomAttribute("data-state")));
        assertThat(browser.findElements(By.cssSelector("#guidance-grid .guidance-grid-row"))).hasSize(5);
        assertThat(browser.findElements(By.cssSelector("#guidance-grid .guidance-grid-row canvas"))).hasSize(20);
        assertThat(browser.findElement(By.id("guidance-grid-progress")).getDomProperty("value")).isEqualTo("5");
        assertThat(browser.findElement(By.id("guidance-grid-progress-text")).getText()).startsWith("done in");

        browser.findElement(By.id("compare-start")).click();
        wait.until(d -> browser.findElement(By.id("compare-latent-time")).getText().contains(" s for 4 images"));
        assertThat(browser.findElement(By.id("compare-pixel-time")).getText()).contains(" s for 4 images");

        // more captions than a phone is wide, one with a word CLIP does not know
        WebElement texts = browser.findElement(By.id("clip-texts"));
        texts.clear();
        texts.sendKeys("a handwritten 0\nthe digit one\nnumber 3\nseven\na drawing of a nine\na bold four\n"
                + "a thin two\na zebra\nthe number eight");
        browser.findElement(By.id("clip-start")).click();
        wait.until(d -> browser.findElements(By.cssSelector("#clip-matrix tr")).size() == 6);
        assertThat(browser.findElements(By.cssSelector("#clip-matrix td.best"))).hasSize(5);
        assertThat(browser.findElement(By.cssSelector("#clip-matrix")).getText()).contains("zebra");
        assertThat(browser.findElement(By.cssSelector("#clip-matrix .reading-unknown")).getText()).isEqualTo("zebra");
        screenshot("diffusion-grid-compare-clip");

        viewport(390, 844, true);
        assertThat(pageWidth()).isLessThanOrEqualTo(390);
        assertThat(smallTapTargets()).isEmpty();
        browser.executeScript("document.getElementById('guidance-panel').scrollIntoView()");
        screenshot("diffusion-phone-grid");
        browser.executeScript("document.getElementById('clip-panel').scrollIntoView()");
        screenshot("diffusion-phone-clip");
        // the model cards say what the shipped U-Nets measured, spread included
        assertThat(browser.findElement(By.cssSelector(".panel.models")).getText())
                .contains("pixel-unet").contains("spread of same-digit samples in CLIP space")
                .contains("zero-shot on the official MNIST test set")
                .containsPattern("prompts naming thickness, size, slant or place: samples differ in the asked direction "
                        + "for every seed pair, 9\\d\\.\\d–\\d+\\.\\d % read as the asked digit");
        browser.executeScript("document.querySelector('.panel.models').scrollIntoView()");
        screenshot("diffusion-phone-model-cards");
        assertThat(consoleErrors()).isEmpty();
    }

    @Test
    void aPromptNamingPropertiesIsReadWordForWordAndDrawn() throws Exception {
        viewport(1366, 900, false);
        open("/diffusion");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(90));
        new Select(browser.findElement(By.id("diffuse-what"))).selectByValue("prompt");
        WebElement prompt = browser.findElement(By.id("diffuse-prompt"));
        WebElement reading = browser.findElement(By.id("diffuse-reading"));
        prompt.clear();
        // the property words are CLIP's own now (PropertyCaptions); "cat" is still not
        prompt.sendKeys("a big bold 4 slanted right on the left");
        wait.until(d -> reading.getText().contains("left"));
        assertThat(browser.findElements(By.cssSelector("#diffuse-reading .reading-unknown"))).isEmpty();
        new Select(browser.findElement(By.id("diffuse-space"))).selectByValue("latent");
        setNumber("diffuse-steps", "50");
        WebElement frames = browser.findElement(By.id("reverse-frames"));
        browser.findElement(By.id("diffuse-start")).click();
        wait.until(d -> "true".equals(frames.getDomAttribute("data-done")));
        scrub(49);
        assertThat(browser.findElement(By.id("reverse-final")).getDomAttribute("data-shown")).isEqualTo("true");
        browser.executeScript("document.getElementById('diffuse-form').scrollIntoView()");
        screenshot("diffusion-property-prompt");
        viewport(390, 844, true);
        assertThat(pageWidth()).isLessThanOrEqualTo(390);
        browser.executeScript("document.getElementById('reverse-panel').scrollIntoView()");
        screenshot("diffusion-phone-property-prompt");
        viewport(1366, 900, false);
        prompt.clear();
        prompt.sendKeys("a cat");
        wait.until(d -> reading.getText().contains("cat"));
        assertThat(browser.findElement(By.cssSelector("#diffuse-reading .reading-unknown")).getText()).isEqualTo("cat");
        assertThat(consoleErrors()).isEmpty();
    }

    @Test
    void onlyTheFieldThatAppliesIsShownAndAPromptSaysWhichWordsClipReads() throws Exception {
        viewport(390, 844, true);
        open("/diffusion");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        WebElement digit = browser.findElement(By.id("diffuse-digit")), prompt = browser.findElement(By.id("diffuse-prompt"));
        WebElement reading = browser.findElement(By.id("diffuse-reading"));
        Select what = new Select(browser.findElement(By.id("diffuse-what")));
        assertThat(digit.isDisplayed()).isTrue();
        assertThat(prompt.isDisplayed()).isFalse();
        assertThat(reading.getText()).contains("“a handwritten seven”");

        what.selectByValue("prompt");
        assertThat(digit.isDisplayed()).isFalse();
        assertThat(prompt.isDisplayed()).isTrue();
        prompt.clear();
        prompt.sendKeys("a cat drawing of the number seven written neatly by hand on a small page");
        wait.until(d -> reading.getText().contains("cat"));
        assertThat(browser.findElement(By.cssSelector("#diffuse-reading .reading-unknown")).getText()).isEqualTo("cat");
        assertThat(browser.findElement(By.cssSelector("#diffuse-reading .reading-dropped")).getText())
                .isEqualTo("on a small page");
        assertThat(pageWidth()).isLessThanOrEqualTo(390);
        browser.executeScript("document.getElementById('reverse-panel').scrollIntoView()");
        screenshot("diffusion-phone-prompt");

        what.selectByValue("none");
        assertThat(digit.isDisplayed()).isFalse();
        assertThat(prompt.isDisplayed()).isFalse();
        assertThat(consoleErrors()).isEmpty();
    }

    @Test
    void aSharedRunShowsItsSettingsAndPlaysFromStepZeroAtAnInstructivePace() throws Exception {
        JsonNode run = http.post().uri("/api/runs").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("kind", "diffuse", "params", Map.of("digit", 2, "guidance", 15, "steps", 6,
                        "sampler", "ddpm", "space", "latent", "seed", 9, "noise", true)))
                .exchange().expectStatus().isCreated().expectBody(JsonNode.class).returnResult().getResponseBody();
        String id = run.path("id").asString();
        events(id); // finished before the page opens: the page reads its events at once and paces them itself
        // every step the player shows, in order, with the time it was shown
        browser.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", """
                window.shownSteps = [];
                new MutationObserver(function (changes) {
                  changes.forEach(function (c) {
                    const step = Number(c.target.dataset.step), last = window.shownSteps[window.shownSteps.length - 1];
                    if (c.target.hasAttribute('data-run-player') && step >= 0 && (!last || last[0] !== step))
                      window.shownSteps.push([step, performance.now()]);
                  });
                }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-step'] });
                """));
        viewport(1366, 900, false);
        open("/r/" + id);
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        WebElement player = browser.findElement(By.cssSelector("[data-run-player]"));
        wait.until(d -> "ended".equals(player.getDomAttribute("data-state")));

        assertThat(browser.findElement(By.id("diffuse-guidance")).getDomProperty("value")).isEqualTo("15");
        assertThat(browser.findElement(By.id("diffuse-guidance-value")).getText()).isEqualTo("15");
        assertThat(browser.findElement(By.id("diffuse-steps")).getDomProperty("value")).isEqualTo("6");
        assertThat(browser.findElement(By.id("diffuse-sampler")).getDomProperty("value")).isEqualTo("ddpm");
        assertThat(browser.findElement(By.id("diffuse-space")).getDomProperty("value")).isEqualTo("latent");
        assertThat(browser.findElement(By.id("diffuse-seed")).getDomProperty("value")).isEqualTo("9");
        assertThat(browser.findElement(By.id("diffuse-noise")).isSelected()).isTrue();
        assertThat(browser.findElement(By.id("diffuse-what")).getDomProperty("value")).isEqualTo("digit");
        assertThat(browser.findElement(By.id("diffuse-digit")).getDomProperty("value")).isEqualTo("2");
        assertThat(browser.findElement(By.id("diffuse-prompt")).isDisplayed()).isFalse();

        @SuppressWarnings("unchecked")
        List<List<Number>> shown = (List<List<Number>>) browser.executeScript("return window.shownSteps");
        List<Integer> order = new ArrayList<>();
        shown.forEach(s -> order.add(s.get(0).intValue()));
        assertThat(order).containsExactly(0, 1, 2, 3, 4, 5);
        double seconds = (shown.get(5).get(1).doubleValue() - shown.get(0).get(1).doubleValue()) / 1000;
        assertThat(seconds).as("5 steps at about 120 ms each").isBetween(0.45, 10.0);
        assertThat(browser.findElement(By.id("reverse-final")).getDomAttribute("data-shown")).isEqualTo("true");
        screenshot("diffusion-shared-w15");
        assertThat(consoleErrors()).isEmpty();
    }

    private void viewport(int width, int height, boolean mobile) {
        browser.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", mobile));
    }

    private void setNumber(String id, String value) {
        WebElement input = browser.findElement(By.id(id));
        input.clear();
        input.sendKeys(value);
    }

    /** The player's contract: set the range and send an input event. */
    private void scrub(int step) {
        browser.executeScript("const r = document.querySelector('#reverse-player input[type=range]');"
                + "r.value = arguments[0]; r.dispatchEvent(new Event('input'));", step);
    }

    /** A canvas's gray levels (its red channel), pixel by pixel. */
    @SuppressWarnings("unchecked")
    private List<Long> pixels(String canvas) {
        return (List<Long>) browser.executeScript("const c = document.getElementById(arguments[0]);"
                + "const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                + "return Array.from({length: d.length / 4}, (_, i) => d[i * 4]);", canvas);
    }

    /** What the page's gray scale makes of values in 0..1 (heatmap.js: round(v · 255)). */
    private static List<Long> gray(JsonNode values) {
        List<Long> out = new ArrayList<>();
        values.forEach(v -> out.add(Math.round(Math.max(0, Math.min(1, v.asDouble())) * 255)));
        return out;
    }

    private long pageWidth() {
        return (Long) browser.executeScript("return document.documentElement.scrollWidth");
    }

    /** The page's own controls (the history panel aside) smaller than 24 × 24 px. */
    @SuppressWarnings("unchecked")
    private List<String> smallTapTargets() {
        return (List<String>) browser.executeScript("""
                return Array.from(document.querySelectorAll('#diffusion section :is(button, input, select, textarea)'))
                  .filter(e => e.offsetParent !== null)
                  .map(e => [e, e.getBoundingClientRect()])
                  .filter(([e, r]) => r.width < 24 || r.height < 24)
                  .map(([e, r]) => (e.id || e.className) + ' ' + Math.round(r.width) + '×' + Math.round(r.height));
                """);
    }

    private List<JsonNode> events(String runId) {
        List<ServerSentEvent<String>> events = dev.deepscope.Browsers.events(http, runId, Duration.ofSeconds(60));
        List<JsonNode> out = new ArrayList<>();
        events.forEach(e -> out.add(JSON.readTree(e.data())));
        return out;
    }
}
