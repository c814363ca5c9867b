package dev.deepscope.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deepscope.DeepScopeTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The views inside the network on /digits, each opened from its card on the knowledge map: the activation
 * function with this digit's z, the layers unit by unit, and switching units off to see the answer change.
 */
@DeepScopeTest
class DigitsInsideBrowserTest extends BrowserTest {

    static final Dimension DESKTOP = new Dimension(1366, 900);
    static final Dimension PHONE = new Dimension(390, 844);

    @Test
    void fromTheMapCardsToTheActivationsTheLayersAndAnIntervention() throws Exception {
        browser.manage().window().setSize(DESKTOP);
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        fromCard("activation-functions", "/digits#activation-panel");
        WebElement plot = browser.findElement(By.id("act-plot"));
        drawSeven(browser.findElement(By.id("pad")));

        // (a) every hidden neuron of the 784-16-16-10 sigmoid network on the curve, each layer described
        wait.until(d -> "32".equals(plot.getDomAttribute("data-dots")));
        // the legend is drawn again for each digit the page classifies (the auto-picked test digit, then the 7)
        wait.ignoring(StaleElementReferenceException.class).until(d -> {
            List<WebElement> legend = d.findElements(By.cssSelector("#act-legend li"));
            return legend.size() == 2 && legend.stream().allMatch(li -> li.getText().contains("squashed near 0"));
        });
        assertThat(browser.findElements(By.cssSelector("#inside .formula .katex-display"))).as("each view's formula").hasSize(3);
        assertThat(browser.findElements(By.cssSelector("#inside .katex-error"))).isEmpty();
        new Actions(browser).moveToElement(plot).perform();
        scrollTo("activation-panel");
        screenshot("digits-inside-activations");

        // (b) a weight picture and an activation per neuron, for this digit
        WebElement cards = browser.findElement(By.id("unit-cards"));
        wait.until(d -> "16".equals(cards.getDomAttribute("data-units")) && "true".equals(cards.getDomAttribute("data-filled")));
        assertThat(browser.findElements(By.cssSelector("#unit-cards .unit-card canvas.unit-weights"))).hasSize(16);
        assertThat(browser.findElements(By.cssSelector("#unit-cards .unit-card[data-activation]"))).hasSize(16);
        scrollTo("layers-panel");
        screenshot("digits-inside-layers-mlp");

        // (c) every neuron of hidden2 switched off: the model's answer after is its output biases alone
        List<WebElement> hidden2 = browser.findElements(By.cssSelector("#int-layers [data-layer=hidden2] .int-unit"));
        assertThat(hidden2).hasSize(16).allSatisfy(b -> assertThat(b.isEnabled()).isTrue());
        String before = browser.findElement(By.id("int-before")).getText();
        for (WebElement unit : hidden2) {
            unit.click();
        }
        WebElement inside = browser.findElement(By.id("inside"));
        wait.until(d -> "16".equals(inside.getDomAttribute("data-ablated")));
        assertThat(hidden2).allSatisfy(b -> assertThat(b.getDomAttribute("data-after")).isEqualTo("0"));
        assertThat(browser.findElement(By.id("int-before")).getText()).isEqualTo(before);
        assertThat(browser.findElement(By.id("int-after")).getText()).isNotEqualTo(before);
        assertThat(browser.findElement(By.id("int-readout")).getText()).contains("16 units changed");
        scrollTo("intervene-panel");
        screenshot("digits-inside-intervention");

        // the CNN: its convolutions' filters beside their feature maps; a channel switched off
        new Select(browser.findElement(By.id("model"))).selectByValue("cnn");
        wait.until(d -> "4832".equals(plot.getDomAttribute("data-dots")));   // 14·14·16 + 7·7·32 + 128
        browser.findElement(By.cssSelector("#layers-tabs [data-layer=conv2]")).click();
        wait.until(d -> browser.findElements(By.cssSelector("#unit-cards .unit-card canvas.unit-map")).size() == 32);
        scrollTo("layers-panel");
        screenshot("digits-inside-layers-cnn");
        WebElement channel = browser.findElement(By.cssSelector("#int-layers [data-layer=conv1] .int-unit[data-unit='3']"));
        channel.click();
        wait.until(d -> "1".equals(inside.getDomAttribute("data-ablated")) && "0".equals(channel.getDomAttribute("data-after")));
        scrollTo("intervene-panel");
        screenshot("digits-inside-intervention-cnn");
        assertThat(consoleErrors()).isEmpty();
    }

    @Test
    void onAPhoneEveryViewFitsTheScreen() throws Exception {
        browser.manage().window().setSize(PHONE);
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        fromCard("neuron", "/digits#intervene-panel");
        browser.findElement(By.id("sample")).click();
        WebElement plot = browser.findElement(By.id("act-plot"));
        wait.until(d -> "32".equals(plot.getDomAttribute("data-dots")));
        browser.findElement(By.cssSelector("#int-layers [data-layer=hidden1] .int-unit[data-unit='5']")).click();
        wait.until(d -> "1".equals(browser.findElement(By.id("inside")).getDomAttribute("data-ablated")));
        for (String panel : List.of("activation-panel", "layers-panel", "intervene-panel")) {
            scrollTo(panel);
            assertThat(((Number) browser.executeScript("return document.documentElement.scrollWidth")).intValue())
                    .as("no sideways scrolling at " + panel).isLessThanOrEqualTo(390);
            screenshot("digits-inside-phone-" + panel);
        }
        new Select(browser.findElement(By.id("model"))).selectByValue("cnn");
        wait.until(d -> "4832".equals(plot.getDomAttribute("data-dots")));
        scrollTo("layers-panel");
        assertThat(((Number) browser.executeScript("return document.documentElement.scrollWidth")).intValue())
                .as("no sideways scrolling with the CNN").isLessThanOrEqualTo(390);
        screenshot("digits-inside-phone-layers-cnn");
        fromCard("layers", "/digits#layers-panel");
        assertThat(consoleErrors()).isEmpty();
    }

    /** Opens the map and follows a card's "Try it live" link; it must land on the view's panel. */
    private void fromCard(String concept, String expected) {
        assertThat(followCard(concept).href()).isEqualTo(expected);
        assertThat(browser.findElement(By.id(expected.substring(expected.indexOf('#') + 1))).isDisplayed()).isTrue();
    }

    private void scrollTo(String id) {
        browser.executeScript("document.getElementById(arguments[0]).scrollIntoView({block: 'start'})", id);
    }

    /** A 7: 8 steps right along the top, then 8 steps down and to the left. */
    private void drawSeven(WebElement pad) {
        browser.executeScript("arguments[0].scrollIntoView({block: 'center'})", pad);
        Pen pen = penDown(pad, -80, -90);
        for (int i = 0; i < 8; i++) {
            pen.by(20, 0);
        }
        for (int i = 0; i < 8; i++) {
            pen.by(-8, 20);
        }
        pen.lift();
    }
}
