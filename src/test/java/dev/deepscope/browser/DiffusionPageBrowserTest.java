package dev.deepscope.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deepscope.DeepScopeTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/** A person starts a generation on /diffusion and watches the frames of the reverse process arrive. */
@DeepScopeTest
class DiffusionPageBrowserTest extends BrowserTest {


    @Test
    void generatingStreamsFramesThenTheFinishedDigit() throws Exception {
        open("/diffusion");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        WebElement frames = browser.findElement(By.id("reverse-frames"));
        assertThat(frames.getDomAttribute("data-frames")).isEqualTo("0");
        // the forward process draws x_t once the schedule and a real digit have arrived
        wait.until(d -> browser.findElement(By.id("forward-xt-caption")).getText().contains("√ᾱ"));

        WebElement steps = browser.findElement(By.id("diffuse-steps"));
        steps.clear();
        steps.sendKeys("12");
        browser.findElement(By.id("diffuse-start")).click();

        wait.until(d -> Integer.parseInt(frames.getDomAttribute("data-frames")) >= 3);
        wait.until(d -> "true".equals(frames.getDomAttribute("data-done")));
        assertThat(Integer.parseInt(frames.getDomAttribute("data-frames"))).isEqualTo(12);
        assertThat(browser.findElement(By.id("reverse-caption")).getText()).startsWith("finished in");
        screenshot("diffusion-reverse");

        // the guidance grid (one row per w), pixel vs latent with timings, and CLIP's matrix (5 digits × 5 captions)
        browser.findElement(By.id("guidance-grid-start")).click();
        wait.until(d -> browser.findElements(By.cssSelector("#guidance-grid .row")).size() == 5);
        assertThat(browser.findElements(By.cssSelector("#guidance-grid .row canvas"))).hasSize(20);
        browser.findElement(By.id("compare-start")).click();
        wait.until(d -> browser.findElement(By.id("compare-latent-time")).getText().contains(" s for 4 images"));
        assertThat(browser.findElement(By.id("compare-pixel-time")).getText()).contains(" s for 4 images");
        browser.findElement(By.id("clip-start")).click();
        wait.until(d -> browser.findElements(By.cssSelector("#clip-matrix tr")).size() == 6);
        assertThat(browser.findElements(By.cssSelector("#clip-matrix td.best"))).hasSize(5);
        screenshot("diffusion-grid-compare-clip");
        // the model cards say what the shipped U-Nets measured, spread included
        assertThat(browser.findElement(By.cssSelector(".panel.models")).getText())
                .contains("pixel-unet").contains("spread of same-digit samples in CLIP space");

        assertThat(consoleErrors()).isEmpty();
    }
}
