package dev.deepscope.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.deepscope.DeepScopeTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/** A person trains a network on /learning, watches the curve grow, then maps its landscape and inspects backprop. */
@DeepScopeTest
class LearningPageBrowserTest extends BrowserTest {


    @Test
    void trainingDrawsAGrowingCurveThenTheLandscapeAndBackpropExplainTheNetwork() throws Exception {
        open("/learning");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        WebElement chart = browser.findElement(By.id("cost-chart"));
        type("steps", "20000");                          // the most allowed, so Stop comes before the end
        browser.findElement(By.id("start")).click();

        wait.until(d -> points(chart) >= 3);
        int early = points(chart);
        wait.until(d -> points(chart) > early + 3);     // the curve keeps growing while training runs
        wait.until(d -> browser.findElements(By.cssSelector("#weight-pictures canvas")).size() == 16);
        screenshot("learning-training");
        browser.findElement(By.id("stop")).click();       // stop at any time
        wait.until(d -> browser.findElement(By.id("train-status")).getText().contains("cancelled"));
        WebElement page = browser.findElement(By.id("learning"));
        assertThat(page.getDomAttribute("data-trained")).matches("[A-Za-z0-9_-]{22}");

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

        type("race-gd-steps", "8");
        type("race-sgd-steps", "80");
        browser.findElement(By.id("race")).click();
        wait.until(d -> browser.findElement(By.id("race-status")).getText().contains("GD done")
                && browser.findElement(By.id("race-status")).getText().contains("SGD done"));
        assertThat(points(browser.findElement(By.id("race-examples")))).isGreaterThanOrEqualTo(8 + 1 + 80 + 1);
        screenshot("learning-race");

        // the share link replays the recorded run: same curve, no recomputation
        String trained = page.getDomAttribute("data-trained");
        int recorded = points(chart);
        open("/learning?run=" + trained);
        wait.until(d -> points(d.findElement(By.id("cost-chart"))) == recorded);
        wait.until(d -> d.findElement(By.id("train-status")).getText().contains("cancelled"));

        assertThat(consoleErrors()).as("browser console errors (CSP violations, script errors)").isEmpty();
    }

    private static int points(WebElement chart) {
        return Integer.parseInt(chart.getDomAttribute("data-points"));
    }

    private void type(String id, String value) {
        WebElement input = browser.findElement(By.id(id));
        input.clear();
        input.sendKeys(value);
    }
}
