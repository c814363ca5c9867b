package dev.deepscope.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deepscope.DeepScopeTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/** A person draws a digit on /digits and watches the network's activations and answer update. */
@DeepScopeTest
class DigitsPageBrowserTest extends BrowserTest {


    @Test
    void drawingAStrokeStreamsActivationsAndAPrediction() throws Exception {
        open("/digits");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        WebElement network = browser.findElement(By.id("network"));
        assertThat(network.getDomAttribute("data-runs")).isEqualTo("0");

        drawSeven(browser.findElement(By.id("pad")));

        wait.until(d -> Integer.parseInt(network.getDomAttribute("data-runs")) >= 1);
        wait.until(d -> browser.findElement(By.id("prediction")).getText().matches("[0-9]"));
        List<WebElement> neurons = browser.findElements(By.cssSelector("[data-layer] .neuron"));
        assertThat(neurons).hasSize(32);   // hidden1 and hidden2: 16 each
        assertThat(neurons).anySatisfy(n -> assertThat(Double.parseDouble(n.getDomAttribute("data-activation"))).isPositive());
        assertThat(browser.findElements(By.cssSelector("#outputs li"))).hasSize(10);

        new Actions(browser).moveToElement(neurons.get(3)).perform();
        wait.until(d -> browser.findElement(By.id("neuron-bias")).getText().startsWith("bias b = "));
        assertThat(browser.findElement(By.id("neuron-title")).getText()).contains("784 incoming");
        screenshot("digits-mlp");

        int runs = Integer.parseInt(network.getDomAttribute("data-runs"));
        new Select(browser.findElement(By.id("model"))).selectByValue("cnn");
        wait.until(d -> Integer.parseInt(network.getDomAttribute("data-runs")) > runs);
        wait.until(d -> browser.findElements(By.cssSelector("[data-layer=conv1] canvas.map")).size() == 16);
        wait.until(d -> browser.findElement(By.id("model-info")).getText().contains("cnn"));
        screenshot("digits-cnn");

        // the history panel (htmx) lists the runs; a share link replays one in a fresh page
        wait.until(d -> !browser.findElements(By.cssSelector("#history li[data-run]")).isEmpty());
        String shared = browser.findElement(By.cssSelector("#history li[data-run]")).getDomAttribute("data-run");
        open("/r/" + shared);
        WebElement replayed = browser.findElement(By.id("network"));
        wait.until(d -> Integer.parseInt(replayed.getDomAttribute("data-runs")) >= 1);
        assertThat(browser.findElement(By.id("prediction")).getText()).matches("[0-9]");
        screenshot("digits-shared-run");

        assertThat(consoleErrors()).as("browser console errors (CSP violations, script errors)").isEmpty();
    }

    @Test
    void theKnowledgeMapRendersItsFormulasWithKatex() throws Exception {
        open("/");
        new WebDriverWait(browser, Duration.ofSeconds(30))
                .until(d -> d.findElements(By.cssSelector(".card .katex")).size() == 23);
        screenshot("knowledge-map");
    }

    @Test
    void onAPhoneAFingerDrawsTheDigit() throws Exception {
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        open("/digits");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        WebElement pad = browser.findElement(By.id("pad"));
        assertThat(pad.getSize().getWidth()).as("the pad fits the phone's width").isLessThanOrEqualTo(390);

        var finger = new org.openqa.selenium.interactions.PointerInput(
                org.openqa.selenium.interactions.PointerInput.Kind.TOUCH, "finger");
        var stroke = new org.openqa.selenium.interactions.Sequence(finger, 0);
        var origin = org.openqa.selenium.interactions.PointerInput.Origin.fromElement(pad);
        stroke.addAction(finger.createPointerMove(Duration.ZERO, origin, 0, -90));
        stroke.addAction(finger.createPointerDown(org.openqa.selenium.interactions.PointerInput.MouseButton.LEFT.asArg()));
        for (int i = 1; i <= 10; i++) {
            stroke.addAction(finger.createPointerMove(Duration.ofMillis(20), origin, 0, -90 + 18 * i));
        }
        stroke.addAction(finger.createPointerUp(org.openqa.selenium.interactions.PointerInput.MouseButton.LEFT.asArg()));
        browser.perform(List.of(stroke));

        wait.until(d -> browser.findElement(By.id("prediction")).getText().matches("[0-9]"));
        assertThat(browser.findElement(By.id("prediction")).getText()).isEqualTo("1");
        screenshot("digits-phone");
    }

    /** A 7: a stroke to the right along the top, then down and to the left. */
    private void drawSeven(WebElement pad) {
        Actions draw = new Actions(browser).moveToElement(pad, -80, -90).clickAndHold();
        for (int i = 0; i < 8; i++) {
            draw.moveByOffset(20, 0);
        }
        for (int i = 0; i < 9; i++) {
            draw.moveByOffset(-8, 20);
        }
        draw.release().perform();
    }
}
