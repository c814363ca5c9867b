package dev.deepscope.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deepscope.DeepScopeTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A learner names two symbols of their own on /learning, draws six of each on the pad, trains a network on them
 * with the form's settings, draws a new one and reads what the network calls it; on a phone the panel fits.
 */
@DeepScopeTest
class OwnDrawingsBrowserTest extends BrowserTest {

    @Test
    void twoDrawnSymbolsTrainANetworkThatNamesANewDrawing() throws Exception {
        long started = System.nanoTime();
        Screens.laptop(browser);
        open("/learning");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        WebElement pad = browser.findElement(By.id("own-pad"));
        browser.executeScript("document.getElementById('own-panel').scrollIntoView()");
        List<WebElement> names = browser.findElements(By.cssSelector("#own-classes input"));
        names.get(0).clear();
        names.get(0).sendKeys("ring");
        names.get(1).clear();
        names.get(1).sendKeys("cross");
        // the data set's twelve drawings as pointer events straight to the pad (one WebDriver call each, fast on
        // a loaded machine); the drawings asked about after training come through real mouse moves
        for (int i = 0; i < 6; i++) {
            browser.executeScript(STROKES, "ring", 50 + 6 * i, (i % 3 - 1) * 12);
            browser.findElement(By.id("own-add")).click();
        }
        browser.findElements(By.cssSelector("#own-classes .own-class-head button")).get(1).click();   // "Draw this"
        for (int i = 0; i < 6; i++) {
            browser.executeScript(STROKES, "cross", 50 + 6 * i, (i % 3 - 1) * 12);
            browser.findElement(By.id("own-add")).click();
        }
        WebElement status = browser.findElement(By.id("own-status"));
        assertThat(status.getDomAttribute("data-drawings")).isEqualTo("12");
        assertThat(status.getText()).contains("Ready: 10 to train on, 2 held out");
        System.out.printf("MEASURE own drawings browser: 12 drawn after %.1f s%n", (System.nanoTime() - started) / 1e9);

        browser.findElement(By.id("steps")).clear();
        browser.findElement(By.id("steps")).sendKeys("100");
        browser.findElement(By.id("own-train")).click();
        WebElement panel = browser.findElement(By.id("own-panel"));
        wait.until(d -> panel.getDomAttribute("data-trained") != null);
        assertThat(browser.findElement(By.id("train-status")).getText()).contains("done");
        assertThat(browser.findElements(By.cssSelector("#own-classes button[data-held-out=true]"))).hasSize(2);
        // the cost curve says what its C is measured on
        browser.executeScript("document.getElementById('cost-chart').scrollIntoView({block: 'center'})");
        assertThat(browser.findElements(By.cssSelector("#cost-chart .u-legend .u-label")).stream().map(WebElement::getText))
                .containsExactly("C (its training drawings)", "mini-batch C", "held-out accuracy");
        assertThat(browser.findElement(By.id("measured-on")).getText()).contains("your own drawings")
                .doesNotContain("digits");
        Screens.viewport(browser, "learning-own-cost");

        WebElement answer = browser.findElement(By.id("own-answer"));
        ring(pad, 70, 0);
        wait.until(d -> answer.getDomAttribute("data-prediction") != null);
        assertThat(answer.getDomAttribute("data-prediction")).isEqualTo("ring");
        assertThat(browser.findElements(By.cssSelector("#own-outputs li"))).hasSize(2);
        browser.findElement(By.id("own-clear")).click();
        cross(pad, 65, 5);
        wait.until(d -> "cross".equals(answer.getDomAttribute("data-prediction")));
        browser.executeScript("document.getElementById('own-panel').scrollIntoView()");
        Screens.viewport(browser, "learning-own-laptop");

        // the share link, on a phone: the run replays with its data set in the panel, and its network still answers
        String id = panel.getDomAttribute("data-trained");
        Screens.phone(browser);
        open("/r/" + id);
        WebElement shared = browser.findElement(By.id("own-panel"));
        wait.until(d -> id.equals(shared.getDomAttribute("data-trained")));
        assertThat(browser.findElement(By.id("own-status")).getDomAttribute("data-drawings")).isEqualTo("12");
        assertThat(browser.findElements(By.cssSelector("#own-classes input")).get(0).getDomProperty("value")).isEqualTo("ring");
        assertThat(browser.findElements(By.cssSelector("#own-classes button[data-held-out=true]"))).hasSize(2);
        WebElement phoneAnswer = browser.findElement(By.id("own-answer"));
        ring(browser.findElement(By.id("own-pad")), 45, 0);
        wait.until(d -> "ring".equals(phoneAnswer.getDomAttribute("data-prediction")));
        browser.executeScript("document.getElementById('own-pad').scrollIntoView()");
        Screens.viewport(browser, "learning-own-phone");
        assertThat(((Number) browser.executeScript("return document.documentElement.scrollWidth")).intValue())
                .as("the page is no wider than the phone").isLessThanOrEqualTo(390);
        assertThat(browser.executeScript("return [...document.querySelectorAll('#own-panel *')]"
                + ".filter(e => e.getBoundingClientRect().right > innerWidth + 0.5).map(e => e.tagName + '.' + e.className)"))
                .as("nothing in the panel sticks out sideways").asList().isEmpty();
        assertThat(shared.getText()).doesNotContain("null", "undefined", "NaN");
        assertThat(consoleErrors()).as("browser console errors (CSP violations, script errors)").isEmpty();
        System.out.printf("MEASURE own drawings browser flow: %.1f s%n", (System.nanoTime() - started) / 1e9);
    }

    /**
     * A ring (arguments: "ring", radius, x offset) or a cross ("cross", half-width, x offset) drawn on #own-pad as
     * the pointer events a mouse sends, in CSS pixels from the pad's centre.
     */
    private static final String STROKES = """
            const pad = document.getElementById('own-pad'), box = pad.getBoundingClientRect();
            const [shape, r, dx] = arguments, cx = box.left + box.width / 2 + dx, cy = box.top + box.height / 2;
            const strokes = shape === 'ring'
              ? [[...Array(17).keys()].map(k => [cx + r * Math.cos(2 * Math.PI * k / 16), cy + r * Math.sin(2 * Math.PI * k / 16)])]
              : [1, -1].map(s => [...Array(9).keys()].map(k => [cx - r + 2 * r * k / 8, cy - s * r + s * 2 * r * k / 8]));
            const send = (type, p) => pad.dispatchEvent(new PointerEvent(type, { clientX: p[0], clientY: p[1], pointerId: 1,
              bubbles: true, isPrimary: true, pointerType: 'mouse' }));
            pad.setPointerCapture = () => {};   // a synthetic pointer cannot be captured
            strokes.forEach(points => { send('pointerdown', points[0]); points.slice(1).forEach(p => send('pointermove', p));
              send('pointerup', points[points.length - 1]); });""";

    /** A ring of radius r around (dx, dy) off the pad's centre, in one stroke of 16 moves. */
    private void ring(WebElement pad, int r, int dx) {
        Pen pen = penDown(pad, dx + r, 0);
        int x = r, y = 0;
        for (int k = 1; k <= 16; k++) {
            int nx = (int) Math.round(r * Math.cos(2 * Math.PI * k / 16));
            int ny = (int) Math.round(r * Math.sin(2 * Math.PI * k / 16));
            pen.by(nx - x, ny - y);
            x = nx;
            y = ny;
        }
        pen.lift();
    }

    /** An X of half-width h around (dx, 0) off the pad's centre, in two strokes. */
    private void cross(WebElement pad, int h, int dx) {
        for (int sign : new int[] {1, -1}) {
            Pen pen = penDown(pad, dx - h, -sign * h);
            for (int k = 0; k < 8; k++) {
                pen.by(2 * h / 8, sign * 2 * h / 8);
            }
            pen.lift();
        }
    }
}
