package dev.deepscope.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deepscope.DeepScopeTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/** A person asks the small GPT to write on /text, watches the tokens stream in, and opens one of them. */
@DeepScopeTest
class TextPageBrowserTest extends BrowserTest {


    @Test
    void generatingStreamsColouredTokensAndATokenOpensItsInsides() throws Exception {
        open("/text");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        WebElement output = browser.findElement(By.id("output"));
        assertThat(output.getDomAttribute("data-tokens")).isEqualTo("0");

        browser.findElement(By.id("generate")).click();

        // tokens arrive one by one while the run is still going, then it ends
        wait.until(d -> Integer.parseInt(output.getDomAttribute("data-tokens")) >= 1);
        wait.until(d -> "true".equals(output.getDomAttribute("data-done")));
        List<WebElement> tokens = browser.findElements(By.cssSelector("#output .token"));
        assertThat(tokens).hasSize(80);
        assertThat(browser.findElements(By.cssSelector("#output .prompt-token"))).isNotEmpty();
        assertThat(tokens.get(0).getDomAttribute("style")).contains("background");
        assertThat(browser.findElement(By.id("gen-status")).getText()).contains("tokens/s");

        tokens.get(5).click();
        wait.until(d -> browser.findElement(By.id("detail-title")).getText().startsWith("Token 5"));
        assertThat(browser.findElements(By.cssSelector("#alternatives li"))).hasSize(10);
        assertThat(browser.findElements(By.cssSelector("#lens tr"))).hasSize(1 + 5);
        assertThat(browser.findElements(By.cssSelector("#attention-maps table tr"))).hasSize(1 + 16);
        wait.until(d -> d.findElements(By.cssSelector("#neighbours li")).size() == 8);
        screenshot("text-generate");

        browser.findElement(By.id("score")).click();
        wait.until(d -> browser.findElement(By.id("score-summary")).getText().contains("bits per character"));
        browser.findElement(By.id("tokenize")).click();
        wait.until(d -> browser.findElement(By.id("gpt2-count")).getText().endsWith("tokens"));
        screenshot("text-score-tokenize");

        // the share link of that run replays the same text in a fresh page
        String written = String.join("", tokens.stream().map(WebElement::getText).toList());
        String run = browser.findElement(By.cssSelector("#run-status a")).getText();
        open("/r/" + run);
        WebElement replayed = browser.findElement(By.id("output"));
        wait.until(d -> "true".equals(replayed.getDomAttribute("data-done")));
        assertThat(String.join("", browser.findElements(By.cssSelector("#output .token")).stream()
                .map(WebElement::getText).toList())).isEqualTo(written);

        assertThat(consoleErrors()).as("browser console errors (CSP violations, script errors)").isEmpty();
    }
}
