package dev.deepscope.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deepscope.DeepScopeTest;
import dev.deepscope.knowledge.Panel;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A learner opens, from the map's cards, CLIP's vectors and dot products, the VAE's round trip of a drawing, and a
 * run whose prompt switches at step k — on a laptop and on a phone — and sees each filled with the model's numbers.
 */
@DeepScopeTest
class DiffusionViewsBrowserTest extends BrowserTest {

    @ParameterizedTest
    @ValueSource(strings = {"laptop", "phone"})
    void theClipCardShowsTheVectorsWhoseDotProductsMakeTheMatrix(String screen) throws Exception {
        size(screen);
        fromCard("clip");
        click("clip-start");
        WebElement dot = browser.findElement(By.id("clip-dot"));
        wait(60).until(d -> "true".equals(dot.getDomAttribute("data-shown")));
        // five images and five captions, each a strip of 64 cells with its norm, 1
        List<WebElement> rows = browser.findElements(By.cssSelector("#clip-vectors .vec-row"));
        assertThat(rows).hasSize(10);
        for (WebElement row : rows) {
            assertThat(row.findElements(By.cssSelector(".vec-cell"))).hasSize(64);
            assertThat(row.findElement(By.className("vec-norm")).getText()).isEqualTo("‖·‖ = 1.000");
        }
        // pick another cell: its dot product is written out, and its sum is the matrix's value
        WebElement cell = browser.findElement(By.cssSelector("#clip-matrix td[data-i='2'][data-j='3']"));
        browser.executeScript("arguments[0].scrollIntoView({block: 'center'})", cell);
        cell.click();
        assertThat(dot.getDomAttribute("data-image")).isEqualTo("2");
        assertThat(dot.getDomAttribute("data-text")).isEqualTo("3");
        double s = Double.parseDouble(cell.getDomAttribute("title").replaceAll(".*= ", "").replace('−', '-'));
        String shown = String.format(Locale.ROOT, "%.4f", Math.abs(s));
        String sum = dot.findElement(By.className("clip-dot-sum")).getText();
        assertThat(sum).contains("Σ of 64 products").contains("= " + (s < 0 ? "−" : "") + shown + " · the matrix (the model): s = "
                + (s < 0 ? "−" : "") + shown);
        assertThat(dot.findElements(By.cssSelector(".vec-row"))).hasSize(3);
        assertThat(browser.findElement(By.id("clip-vectors-box")).getText()).doesNotContain("NaN", "null", "undefined");
        checkLayout(screen);
        scrollTo("clip-matrix");
        Screens.viewport(browser, "diffusion-clip-vectors-" + screen);
        scrollTo("clip-dot");
        Screens.viewport(browser, "diffusion-clip-dot-" + screen);
        assertThat(consoleErrors()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"laptop", "phone"})
    void theLatentCardRoundTripsTheLearnersDrawingThroughTheVae(String screen) throws Exception {
        size(screen);
        fromCard("latent-diffusion");
        WebElement frames = browser.findElement(By.id("vae-frames"));
        // the card opens on a held-out digit's round trip; the learner's drawing then replaces it
        wait(30).until(d -> "true".equals(frames.getDomAttribute("data-shown")));
        String heldOut = frames.getDomAttribute("data-error");
        WebElement pad = browser.findElement(By.id("vae-pad"));
        browser.executeScript("arguments[0].scrollIntoView({block: 'center'})", pad);
        Pen pen = penDown(pad, -45, -45);
        for (int i = 0; i < 8; i++) {
            pen.by(11, 0);
        }
        for (int i = 0; i < 8; i++) {
            pen.by(-5, 11);
        }
        pen.lift();
        wait(30).until(d -> "true".equals(frames.getDomAttribute("data-shown"))
                && !heldOut.equals(frames.getDomAttribute("data-error")));
        double error = Double.parseDouble(frames.getDomAttribute("data-error"));
        assertThat(error).isBetween(0.0, 1.0);
        assertThat(browser.findElement(By.id("vae-status")).getText())
                .contains("Mean squared error (x̂ − x)² = " + String.format(Locale.ROOT, "%.4f", error))
                .doesNotContain("NaN", "null", "undefined");
        for (String id : List.of("vae-c0", "vae-c3")) {
            assertThat(browser.findElement(By.id(id)).getDomProperty("width")).isEqualTo("7");
        }
        assertThat(ink("vae-decoded")).as("the decoded image has ink").isPositive();
        checkLayout(screen);
        scrollTo("vae-trip");
        Screens.viewport(browser, "diffusion-vae-" + screen);
        assertThat(consoleErrors()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"laptop", "phone"})
    void aRunWhosePromptSwitchesShowsWhereOnThePlayer(String screen) throws Exception {
        size(screen);
        fromCard("u-net");
        setNumber("diffuse-steps", "12");
        click("diffuse-switch");
        new Select(browser.findElement(By.id("diffuse-switch-what"))).selectByValue("prompt");
        WebElement prompt = browser.findElement(By.id("diffuse-switch-prompt"));
        assertThat(prompt.isEnabled()).isTrue();
        prompt.clear();
        prompt.sendKeys("a handwritten eight");
        setNumber("diffuse-switch-at", "5");
        click("diffuse-start");
        WebElement reverse = browser.findElement(By.id("reverse-frames"));
        wait(90).until(d -> "true".equals(reverse.getDomAttribute("data-done")));
        scrub(4);
        assertThat(reverse.getDomAttribute("data-condition")).isEqualTo("first");
        assertThat(position()).endsWith("· before the switch");
        scrub(5);
        assertThat(reverse.getDomAttribute("data-condition")).isEqualTo("switched");
        assertThat(position()).startsWith("step 6 of 12").endsWith("· after the switch to “a handwritten eight”");
        // the cross-attention reads the new prompt's words from the first step after the switch that carries
        // the inside (every 2nd step of 12: step 7, index 6)
        scrub(6);
        assertThat(browser.findElement(By.id("attention-maps")).getText()).contains("eight").doesNotContain("seven");
        WebElement mark = browser.findElement(By.cssSelector("#reverse-player .player-switch-mark"));
        WebElement scrubber = browser.findElement(By.cssSelector("#reverse-player input[type=range]"));
        double fraction = (mark.getRect().getX() - scrubber.getRect().getX()) / (double) scrubber.getRect().getWidth();
        assertThat(fraction).as("the mark sits at step 6 of 12 on the scrubber").isBetween(0.35, 0.55);
        assertThat(browser.findElement(By.id("switch-note")).getText())
                .contains("Steps 1–5 are conditioned on “a handwritten seven”", "from step 6", "“a handwritten eight”");
        checkLayout(screen);
        scrollTo("reverse-panel");
        Screens.viewport(browser, "diffusion-switch-form-" + screen);
        scrollTo("reverse-player");
        Screens.viewport(browser, "diffusion-switch-player-" + screen);
        assertThat(consoleErrors()).isEmpty();
    }

    private void size(String screen) {
        if (screen.equals("phone")) {
            Screens.phone(browser);
        } else {
            Screens.laptop(browser);
        }
    }

    private void fromCard(String concept) {
        Panel panel = followCard(concept);
        // a card on a panel that shows a run's steps starts one with the form's settings: let it end
        wait(120).until(d -> browser.findElement(By.id("diffuse-start")).isEnabled());
    }

    private void checkLayout(String screen) {
        if (screen.equals("phone")) {
            assertThat((Long) browser.executeScript("return document.documentElement.scrollWidth"))
                    .as("wider than the phone because of %s", browser.executeScript(Screens.WIDER_THAN_SCREEN))
                    .isLessThanOrEqualTo(390);
        }
        assertThat(browser.findElement(By.tagName("main")).getText()).doesNotContain("NaN", "undefined", "null");
    }

    private WebDriverWait wait(int seconds) {
        return new WebDriverWait(browser, Duration.ofSeconds(seconds));
    }

    private void click(String id) {
        WebElement e = browser.findElement(By.id(id));
        browser.executeScript("arguments[0].scrollIntoView({block: 'center'})", e);
        e.click();
    }

    private void setNumber(String id, String value) {
        WebElement input = browser.findElement(By.id(id));
        browser.executeScript("arguments[0].scrollIntoView({block: 'center'})", input);
        input.clear();
        input.sendKeys(value);
    }

    private void scrub(int step) {
        browser.executeScript("const r = document.querySelector('#reverse-player input[type=range]');"
                + "r.value = arguments[0]; r.dispatchEvent(new Event('input'));", step);
    }

    private String position() {
        return browser.findElement(By.cssSelector("#reverse-player .player-position")).getText();
    }

    private void scrollTo(String id) {
        browser.executeScript("document.getElementById(arguments[0]).scrollIntoView()", id);
    }

    /** The summed brightness of a canvas's pixels. */
    private long ink(String id) {
        return (Long) browser.executeScript("const c = document.getElementById(arguments[0]);"
                + "const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                + "let s = 0; for (let i = 0; i < d.length; i += 4) s += d[i]; return s;", id);
    }
}
