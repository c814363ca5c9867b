package dev.deepscope.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deepscope.DeepScopeTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.interactions.PointerInput;
import org.openqa.selenium.interactions.Sequence;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/** A person draws a digit on /digits and watches the network's activations and answer update. */
@DeepScopeTest
class DigitsPageBrowserTest extends BrowserTest {

    static final Dimension DESKTOP = new Dimension(1366, 900);
    static final Dimension PHONE = new Dimension(390, 844);

    @Test
    void drawingAStrokeStreamsActivationsAndAPrediction() throws Exception {
        browser.manage().window().setSize(DESKTOP);
        open("/digits");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        WebElement network = browser.findElement(By.id("network"));
        assertThat(network.getDomAttribute("data-runs")).isEqualTo("0");
        assertThat(text("pad-answer")).containsIgnoringCase("draw a digit");
        WebElement layers = browser.findElement(By.id("layers"));
        wait.until(d -> number(layers, "data-wires") > 0);
        screenshot("digits-blank");

        drawSeven(browser.findElement(By.id("pad")), -80, -90, 20);

        wait.until(d -> number(network, "data-runs") >= 1);
        wait.until(d -> text("prediction").matches("[0-9]"));
        List<WebElement> neurons = browser.findElements(By.cssSelector("[data-layer] .net-neuron"));
        assertThat(neurons).hasSize(32);   // hidden1 and hidden2: 16 each
        assertThat(neurons).anySatisfy(n -> assertThat(Double.parseDouble(n.getDomAttribute("data-activation"))).isPositive());
        assertThat(browser.findElements(By.cssSelector("#outputs li"))).hasSize(10);
        // the connections: 784→16 each neuron's 4 strongest, 16→16 and 16→10 all of them
        assertThat(number(layers, "data-wires")).isEqualTo(16 * 4 + 16 * 16 + 16 * 10);
        assertThat(katex()).contains("σ");

        new Actions(browser).moveToElement(neurons.get(3)).perform();
        wait.until(d -> text("neuron-title").contains("neuron 3:"));   // neuron 0 is shown until one is picked
        assertThat(text("neuron-title")).contains("784 incoming");
        assertThat(text("neuron-bias")).startsWith("bias b = ");
        screenshot("digits-mlp");

        new Select(browser.findElement(By.id("model"))).selectByValue("mlp-relu");
        wait.until(d -> katex().contains("ReLU"));
        int runs = number(network, "data-runs");
        new Select(browser.findElement(By.id("model"))).selectByValue("cnn");
        wait.until(d -> number(network, "data-runs") > runs);
        wait.until(d -> browser.findElements(By.cssSelector("[data-layer=conv1] canvas.heat-map")).size() == 16);
        wait.until(d -> text("model-info").contains("cnn"));
        wait.until(d -> katex().contains("maxpool"));
        screenshot("digits-cnn");

        // the history panel (htmx) lists the runs
        wait.until(d -> !browser.findElements(By.cssSelector("#history li[data-run]")).isEmpty());
        assertThat(consoleErrors()).as("browser console errors (CSP violations, script errors)").isEmpty();
    }

    @Test
    void twentyDigitsDrawnAsFastAsAScriptCanAreNeverRefused() throws Exception {
        browser.manage().window().setSize(DESKTOP);
        open("/digits");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        WebElement network = browser.findElement(By.id("network"));
        WebElement pad = browser.findElement(By.id("pad"));
        WebElement clear = browser.findElement(By.id("clear"));
        long started = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            if (i % 2 == 0) {
                drawSeven(pad, -90 + 3 * i, -90, 15, 20);
            } else {
                drawFour(pad);
            }
            if (i < 19) {
                clear.click();
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        wait.until(d -> number(network, "data-started") >= 20 && number(network, "data-runs") == number(network, "data-started"));
        System.out.printf("20 digits (30 strokes) drawn in %.1f s: %d live answers, %d recorded runs, %d refused%n",
                seconds, number(network, "data-live"), number(network, "data-runs"), number(network, "data-refused"));
        assertThat(number(network, "data-refused")).as("429s the page met").isZero();
        assertThat(text("run-status")).doesNotContain("faster").doesNotContain("busy");
        assertThat(number(network, "data-live")).as("live answers while drawing").isPositive();
        // every recorded run of this browser ended done (the history, from the server)
        @SuppressWarnings("unchecked")
        Map<String, Object> history = (Map<String, Object>) browser.executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "fetch('/api/history?size=50').then(r => r.json()).then(done);");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> items = (List<Map<String, Object>>) history.get("items");
        assertThat(items).hasSize(number(network, "data-started"));
        assertThat(items).allSatisfy(item -> assertThat(item.get("status")).isEqualTo("done"));
        screenshot("digits-after-twenty");
    }

    @Test
    void aSmallDigitDrawnInTheCornerIsReadRightByEveryModel() throws Exception {
        browser.manage().window().setSize(DESKTOP);
        open("/digits");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        WebElement network = browser.findElement(By.id("network"));
        WebElement pad = browser.findElement(By.id("pad"));
        double scale = pad.getSize().getWidth() / 280.0;  // CSS pixels per pad pixel
        int before = number(network, "data-runs");
        // a 7 about 55 pad pixels tall (and 35 wide) in the top-left corner: 8 steps of 7 down
        drawSeven(pad, (int) (-125 * scale), (int) (-125 * scale), (int) Math.round(4.5 * scale), (int) Math.round(7 * scale));
        for (String model : List.of("mlp-sigmoid", "mlp-relu", "cnn")) {
            int runs = model.equals("mlp-sigmoid") ? before : number(network, "data-runs");
            if (!model.equals("mlp-sigmoid")) {
                new Select(browser.findElement(By.id("model"))).selectByValue(model);
            }
            wait.until(d -> number(network, "data-runs") > runs && network.getDomAttribute("data-prediction") != null);
            assertThat(network.getDomAttribute("data-prediction")).as(model + " reads the small 7").isEqualTo("7");
        }
        screenshot("digits-small-seven");
    }

    /**
     * Small synthetic drawings of every digit (55 px tall on the 280 px pad, anywhere on it) through the pad's
     * conversion, read by each model. {@code -Ddigits.perDigit=10 -Ddigits.pipelines=old,new} measures more,
     * and the pad before strokes were re-drawn ("old") beside it.
     */
    @Test
    void smallDrawingsOfEveryDigitAreReadRightByEveryModel() throws Exception {
        open("/digits");
        int perDigit = Integer.getInteger("digits.perDigit", 3);
        String pipelines = System.getProperty("digits.pipelines", "new");
        browser.manage().timeouts().scriptTimeout(Duration.ofMinutes(10));
        browser.executeScript("window.__height = 55; window.__perDigit = arguments[0]; window.__pipelines = arguments[1].split(',');",
                perDigit, pipelines);
        String script = new String(getClass().getResourceAsStream("/digits/small-drawings.js").readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8);
        String result = (String) browser.executeAsyncScript(script);
        System.out.println("small drawings: " + result);
        var json = tools.jackson.databind.json.JsonMapper.builder().build().readTree(result);
        for (String model : List.of("mlp-sigmoid", "mlp-relu", "cnn")) {
            assertThat(json.path("right").path("new " + model).asInt()).as(model + ", of " + json.path("of").asInt())
                    .isGreaterThanOrEqualTo((int) Math.ceil(0.9 * json.path("of").asInt()));
        }
    }

    /** Opens /digits at desktop size, draws a 7 and waits for its recorded run's answer; returns #network. */
    private WebElement drawASevenOnTheDesktop(WebDriverWait wait) {
        browser.manage().window().setSize(DESKTOP);
        open("/digits");
        WebElement network = browser.findElement(By.id("network"));
        drawSeven(browser.findElement(By.id("pad")), -80, -90, 20);
        wait.until(d -> number(network, "data-runs") >= 1 && text("prediction").matches("[0-9]"));
        return network;
    }

    @Test
    void thePlayerShowsTheForwardPassLayerByLayer() throws Exception {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        WebElement network = drawASevenOnTheDesktop(wait);
        WebElement player = browser.findElement(By.cssSelector("#network [data-run-player]"));
        WebElement range = player.findElement(By.cssSelector("input[type=range]"));
        assertThat(range.getDomProperty("max")).isEqualTo("3");   // input, hidden1, hidden2, output

        scrub(range, 0);
        assertThat(browser.findElement(By.id("layers")).getDomAttribute("data-lit")).isEqualTo("1");   // the input only
        assertThat(text("prediction")).isEqualTo("–");
        assertThat(browser.findElements(By.cssSelector("[data-layer] .net-neuron[data-activation]"))).isEmpty();
        assertThat(browser.findElements(By.cssSelector(".net-layer.net-dim"))).hasSize(2);
        screenshot("digits-player-step0");
        scrub(range, 2);
        assertThat(browser.findElements(By.cssSelector("[data-layer] .net-neuron[data-activation]"))).hasSize(32);
        assertThat(text("prediction")).isEqualTo("–");
        scrub(range, 3);
        assertThat(text("prediction")).matches("[0-9]");

        // a share link opens in the player at step 0 and plays to the answer
        String run = network.getDomAttribute("data-run");
        open("/r/" + run);
        WebElement sharedPlayer = browser.findElement(By.cssSelector("#network [data-run-player]"));
        new WebDriverWait(browser, Duration.ofSeconds(10), Duration.ofMillis(20))
                .until(d -> number(sharedPlayer, "data-steps") >= 1);
        assertThat(sharedPlayer.getDomAttribute("data-step")).isEqualTo("0");
        assertThat(text("prediction")).isEqualTo("–");
        wait.until(d -> "3".equals(sharedPlayer.getDomAttribute("data-step")));
        assertThat(text("prediction")).matches("[0-9]");
        assertThat(sharedPlayer.findElement(By.cssSelector("input[type=range]")).getDomProperty("max")).isEqualTo("3");
        screenshot("digits-shared-run");
        assertThat(consoleErrors()).isEmpty();
    }

    @Test
    void clearEmptiesEverything() throws Exception {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        WebElement network = drawASevenOnTheDesktop(wait);

        browser.findElement(By.id("clear")).click();
        assertThat(text("prediction")).isEqualTo("–");
        assertThat(text("pad-answer")).containsIgnoringCase("draw a digit");
        assertThat(network.getDomAttribute("data-prediction")).isNull();
        assertThat(browser.findElements(By.cssSelector(".net-neuron[data-activation]"))).isEmpty();
        assertThat(browser.findElements(By.cssSelector("#outputs li.net-best"))).isEmpty();
        assertThat(browser.findElements(By.cssSelector("#outputs .net-p")))
                .allSatisfy(p -> assertThat(p.getText()).isEmpty());
        assertThat(ink("pad")).as("ink on the pad").isZero();
        assertThat(ink("input-grid")).as("ink on the input grid").isZero();
        WebElement player = browser.findElement(By.cssSelector("[data-run-player]"));
        assertThat(player.getDomAttribute("data-steps")).isEqualTo("0");
        assertThat(browser.executeScript("return DigitPad.toPixels([])")).isNull();
        screenshot("digits-cleared");
    }

    @Test
    void onAPhoneAFingerDrawsTheDigitAndSeesTheAnswerUnderThePad() throws Exception {
        browser.manage().window().setSize(PHONE);
        open("/digits");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        WebElement pad = browser.findElement(By.id("pad"));
        assertThat(pad.getSize().getWidth()).as("the pad fits the phone's width").isLessThanOrEqualTo(390);
        browser.executeScript("arguments[0].scrollIntoView({block: 'center'})", pad);   // where a person draws

        var finger = new PointerInput(PointerInput.Kind.TOUCH, "finger");
        var stroke = new Sequence(finger, 0);
        var origin = PointerInput.Origin.fromElement(pad);
        stroke.addAction(finger.createPointerMove(Duration.ZERO, origin, 0, -90));
        stroke.addAction(finger.createPointerDown(PointerInput.MouseButton.LEFT.asArg()));
        for (int i = 1; i <= 10; i++) {
            stroke.addAction(finger.createPointerMove(Duration.ofMillis(20), origin, 0, -90 + 18 * i));
        }
        stroke.addAction(finger.createPointerUp(PointerInput.MouseButton.LEFT.asArg()));
        browser.perform(List.of(stroke));

        wait.until(d -> text("prediction").matches("[0-9]"));
        assertThat(text("prediction")).isEqualTo("1");
        WebElement answer = browser.findElement(By.id("pad-answer"));
        assertThat(answer.getText()).contains("reads 1");
        boolean onScreen = (Boolean) browser.executeScript(
                "const r = document.getElementById('pad-answer').getBoundingClientRect();"
                        + "return r.top >= 0 && r.bottom <= window.innerHeight;");
        assertThat(onScreen).as("the answer is on screen, under the pad, while drawing").isTrue();
        assertThat(((Number) browser.executeScript("return document.documentElement.scrollWidth")).intValue())
                .as("no sideways scrolling").isLessThanOrEqualTo(390);
        screenshot("digits-phone");
        new Select(browser.findElement(By.id("model"))).selectByValue("cnn");
        wait.until(d -> browser.findElements(By.cssSelector("[data-layer=conv1] canvas.heat-map")).size() == 16);
        assertThat(((Number) browser.executeScript("return document.documentElement.scrollWidth")).intValue())
                .as("no sideways scrolling with the CNN").isLessThanOrEqualTo(390);
        browser.executeScript("document.getElementById('network').scrollIntoView()");
        screenshot("digits-phone-cnn");
    }

    @Test
    void theKnowledgeMapRendersItsFormulasWithKatex() throws Exception {
        open("/");
        // every card's formula typeset (24 concepts, neuron to classifier-free guidance)
        new WebDriverWait(browser, Duration.ofSeconds(30))
                .until(d -> d.findElements(By.cssSelector(".map-card .katex")).size()
                        == d.findElements(By.cssSelector(".map-card")).size());
        assertThat(browser.findElements(By.cssSelector(".map-card"))).hasSize(24);
        screenshot("knowledge-map");
    }

    private String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    private String katex() {
        return browser.findElement(By.cssSelector("#formula .katex-mathml")).getDomProperty("textContent");
    }

    private static int number(WebElement element, String attribute) {
        String value = element.getDomAttribute(attribute);
        return value == null ? 0 : Integer.parseInt(value);
    }

    /** Sum of a canvas's red channel: 0 when it is all black. */
    private long ink(String canvasId) {
        return ((Number) browser.executeScript(
                "const c = document.getElementById(arguments[0]);"
                        + "const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                        + "let s = 0; for (let i = 0; i < d.length; i += 4) s += d[i]; return s;", canvasId)).longValue();
    }

    /** Sets the player's range as a learner would (an input event) and waits until that step is shown. */
    private void scrub(WebElement range, int step) {
        browser.executeScript("arguments[0].value = arguments[1];"
                + "arguments[0].dispatchEvent(new Event('input', {bubbles: true}));", range, String.valueOf(step));
        new WebDriverWait(browser, Duration.ofSeconds(5)).until(d ->
                String.valueOf(step).equals(browser.findElement(By.cssSelector("[data-run-player]")).getDomAttribute("data-step")));
    }

    /** A 7 from (x, y) off the pad's centre: 8 steps right along the top, then 8 steps down and to the left. */
    private void drawSeven(WebElement pad, int x, int y, int step) {
        drawSeven(pad, x, y, step, step);
    }

    private void drawSeven(WebElement pad, int x, int y, int across, int down) {
        Pen pen = penDown(pad, x, y);
        for (int i = 0; i < 8; i++) {
            pen.by(across, 0);
        }
        for (int i = 0; i < 8; i++) {
            pen.by(-Math.round(across * 0.4f), down);
        }
        pen.lift();
    }

    /** A 4 in two strokes: down and right like an L, then the long stroke down its right side. */
    private void drawFour(WebElement pad) {
        Pen first = penDown(pad, -50, -90);
        for (int i = 0; i < 6; i++) {
            first.by(-3, 15);
        }
        for (int i = 0; i < 6; i++) {
            first.by(17, 0);
        }
        first.lift();
        Pen second = penDown(pad, 30, -90);
        for (int i = 0; i < 10; i++) {
            second.by(0, 18);
        }
        second.lift();
    }
}
