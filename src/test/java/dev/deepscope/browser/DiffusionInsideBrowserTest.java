package dev.deepscope.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deepscope.DeepScopeTest;
import dev.deepscope.knowledge.Panel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A learner opens the U-Net, cross-attention and latent-diffusion cards' views from the map and watches a run's
 * inside: feature maps per level, one attention map per word, and the latent at each step, as the player steps.
 */
@DeepScopeTest
class DiffusionInsideBrowserTest extends BrowserTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private WebTestClient http;

    @Autowired
    void http(WebTestClient client) {
        http = client.mutate().responseTimeout(Duration.ofSeconds(60)).build();
    }

    @Test
    void theUNetCardOpensItsInsideAndThePlayerStepsThroughIt() throws Exception {
        Screens.laptop(browser);
        fromCard("u-net");
        setNumber("diffuse-steps", "20");
        List<JsonNode> events = generate();
        List<JsonNode> steps = events.stream().filter(e -> e.has("x0")).toList();
        List<Integer> inside = new ArrayList<>();
        steps.stream().filter(s -> s.has("inside")).forEach(s -> inside.add(s.path("index").asInt()));
        assertThat(inside).containsExactly(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 19);

        scrub(3);   // step 4 has no inside of its own: the page shows step 3's (index 2)
        assertThat(browser.findElement(By.id("unet-inside")).getDomAttribute("data-index")).isEqualTo("2");
        JsonNode shown = steps.get(2).path("inside");
        List<String> levels = browser.findElements(By.cssSelector("#inside-features .inside-level")).stream()
                .map(e -> e.getDomAttribute("data-level")).toList();
        assertThat(levels).containsExactly("down0", "down1", "down2", "mid", "up2", "up1", "up0");
        assertThat(browser.findElements(By.cssSelector("#inside-features canvas"))).hasSize(7 * 3);
        assertThat(browser.findElement(By.cssSelector("#inside-features .inside-level[data-level=mid] figcaption"))
                .getText()).isEqualTo("ch " + shown.path("features").get(3).path("channels").get(0).asInt() + " · ±"
                + String.format(Locale.ROOT, "%.2f", maxAbs(shown.path("features").get(3).path("maps").get(0))));

        // one map per word; the centre pixel's weights are the event's, and sum to 1
        List<String> tokens = new ArrayList<>();
        shown.path("tokens").forEach(t -> tokens.add(t.asString()));
        String caption = browser.findElement(By.cssSelector("#diffuse-digit option[value='7']")).getDomAttribute("data-caption");
        List<String> expected = new ArrayList<>(List.of("<prompt>", "<start>"));
        expected.addAll(List.of(caption.split(" ")));
        assertThat(tokens).isEqualTo(expected);
        assertThat(browser.findElements(By.cssSelector("#attention-maps canvas"))).hasSize(tokens.size());
        new Select(browser.findElement(By.id("attention-level"))).selectByValue("down1");
        JsonNode down1 = shown.path("attention").get(0);
        assertThat(down1.path("level").asString()).isEqualTo("down1");
        JsonNode centre = down1.path("weights").get(7 * 14 + 7);
        String example = browser.findElement(By.id("attention-example")).getText();
        double sum = 0;
        for (int k = 0; k < tokens.size(); k++) {
            assertThat(example).contains(tokens.get(k) + " " + String.format(Locale.ROOT, "%.3f", centre.get(k).asDouble()));
            sum += centre.get(k).asDouble();
        }
        assertThat(example).contains("sum " + String.format(Locale.ROOT, "%.3f", sum));
        assertThat(sum).isBetween(0.99, 1.01);
        scrollTo("unet-inside");
        Screens.viewport(browser, "diffusion-inside-laptop-features");
        scrollTo("cross-attention");
        Screens.viewport(browser, "diffusion-inside-laptop-attention");
        assertThat(consoleErrors()).isEmpty();
    }

    @Test
    void theLatentCardShowsTheLatentBesideItsDecodedImageOnAPhone() throws Exception {
        Screens.phone(browser);
        fromCard("latent-diffusion");
        setNumber("diffuse-steps", "6");
        new Select(browser.findElement(By.id("diffuse-space"))).selectByValue("latent");
        List<JsonNode> events = generate();
        scrub(2);
        WebElement frames = browser.findElement(By.id("latent-frames"));
        assertThat(frames.getDomAttribute("data-shown")).isEqualTo("true");
        assertThat(frames.getDomAttribute("data-index")).isEqualTo("2");
        assertThat(events.get(3).path("latent").size()).isEqualTo(196);
        assertThat(browser.findElement(By.id("latent-c0")).getDomProperty("width")).isEqualTo("7");
        assertThat(browser.findElement(By.id("latent-status")).getText()).startsWith("z_t at t = "
                + events.get(3).path("t").asInt());
        // formulas scroll inside their own box; the page itself never scrolls sideways
        assertThat(pageWidth()).as("wider than the phone because of %s", browser.executeScript(Screens.WIDER_THAN_SCREEN))
                .isLessThanOrEqualTo(390);
        scrollTo("latent-steps");
        Screens.viewport(browser, "diffusion-inside-phone-latent");
        scrollTo("unet-inside");
        Screens.viewport(browser, "diffusion-inside-phone-features");
        scrollTo("cross-attention");
        Screens.viewport(browser, "diffusion-inside-phone-attention");
        assertThat(consoleErrors()).isEmpty();
    }

    @Test
    void theCrossAttentionCardLandsOnItsView() {
        Screens.laptop(browser);
        fromCard("cross-attention");
        assertThat(browser.findElement(By.id("cross-attention")).getText()).contains("Cross-attention");
        assertThat(browser.findElement(By.cssSelector("#cross-attention .formula")).getDomAttribute("data-tex"))
                .contains("softmax", "QK^{\\top}", "\\sqrt{d}");
    }

    private void fromCard(String concept) {
        Panel panel = followCard(concept);
        assertThat(panel.page()).isEqualTo("/diffusion");
        // the card's panel shows a run's steps: the page starts one with the form's settings; let it end
        assertThat(browser.findElement(By.id("reverse-frames")).getDomAttribute("data-frames")).isNotNull();
        new WebDriverWait(browser, Duration.ofSeconds(120))
                .until(d -> browser.findElement(By.id("diffuse-start")).isEnabled());
    }

    /** Starts a run with the form (inside is on by default) and reads its events once it is done. */
    private List<JsonNode> generate() {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(90));
        assertThat(browser.findElement(By.id("diffuse-inside")).isSelected()).isTrue();
        browser.executeScript("document.getElementById('diffuse-start').scrollIntoView({block: 'center'})");
        browser.findElement(By.id("diffuse-start")).click();
        WebElement frames = browser.findElement(By.id("reverse-frames"));
        wait.until(d -> "true".equals(frames.getDomAttribute("data-done")));
        String runId = browser.findElement(By.cssSelector("#run-status a")).getText();
        List<ServerSentEvent<String>> events = dev.deepscope.Browsers.events(http, runId, Duration.ofSeconds(60));
        List<JsonNode> out = new ArrayList<>();
        events.forEach(e -> out.add(JSON.readTree(e.data())));
        return out;
    }

    private void setNumber(String id, String value) {
        WebElement input = browser.findElement(By.id(id));
        input.clear();
        input.sendKeys(value);
    }

    private void scrub(int step) {
        browser.executeScript("const r = document.querySelector('#reverse-player input[type=range]');"
                + "r.value = arguments[0]; r.dispatchEvent(new Event('input'));", step);
    }

    private void scrollTo(String id) {
        browser.executeScript("document.getElementById(arguments[0]).scrollIntoView()", id);
    }

    private long pageWidth() {
        return (Long) browser.executeScript("return document.documentElement.scrollWidth");
    }

    private static double maxAbs(JsonNode values) {
        double m = 1e-12;
        for (JsonNode v : values) {
            m = Math.max(m, Math.abs(v.asDouble()));
        }
        return m;
    }
}
