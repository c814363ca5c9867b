package dev.deepscope.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deepscope.DeepScopeTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A learner trains a tiny GPT on a chapter of Moby-Dick on /text: the loss curve, samples and every head's attention
 * arrive, the held-out bits per character are reported, and the kept model writes; on a laptop, then on a phone
 * without sideways scrolling.
 */
@DeepScopeTest
class TextTrainBrowserTest extends BrowserTest {

    @Test
    void aLearnerTrainsOnAChapterWatchesItLearnAndWritesWithIt() throws Exception {
        Screens.laptop(browser);
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(120));
        open("/text#text-own-panel");
        new Select(browser.findElement(By.id("text-own-chapter"))).selectByValue("2");
        browser.findElement(By.id("text-own-seconds")).clear();
        browser.findElement(By.id("text-own-seconds")).sendKeys("10");
        browser.findElement(By.id("text-own-start")).click();
        wait.until(d -> d.findElement(By.id("text-own-status")).getText().startsWith("Done:"));
        String status = browser.findElement(By.id("text-own-status")).getText();
        assertThat(status).contains("Held-out bits per character:", "untrained →").doesNotContain("NaN", "undefined", "null");
        assertThat(browser.findElements(By.cssSelector("#text-own-samples li"))).hasSizeGreaterThanOrEqualTo(2);
        assertThat(browser.findElements(By.cssSelector("#text-own-attention canvas"))).hasSize(8);    // 2 blocks × 4 heads
        browser.executeScript("document.getElementById('text-own-panel').scrollIntoView()");
        Screens.viewport(browser, "text-train-laptop");

        browser.findElement(By.id("text-own-prompt")).sendKeys("The whale");
        browser.findElement(By.id("text-own-write")).click();
        wait.until(d -> d.findElement(By.id("text-own-written")).getText().startsWith("The whale")
                && d.findElement(By.id("text-own-written")).getText().length() > 100);
        Screens.viewport(browser, "text-train-laptop-written");

        Screens.phone(browser);
        browser.executeScript("document.getElementById('text-own-panel').scrollIntoView()");
        assertThat(((Number) browser.executeScript("return document.documentElement.scrollWidth")).intValue())
                .as("no sideways scroll on a phone; sticking out: %s", browser.executeScript(Screens.WIDER_THAN_SCREEN))
                .isLessThanOrEqualTo(390);
        @SuppressWarnings("unchecked")
        List<String> ownWide = (List<String>) browser.executeScript(
                "return [...document.querySelectorAll('#text-own-panel *')].filter(e => e.getBoundingClientRect().right > innerWidth + 0.5)"
                        + ".map(e => e.tagName + '#' + e.id + '.' + e.className)");
        assertThat(ownWide).as("nothing of the panel sticks out").isEmpty();
        Screens.viewport(browser, "text-train-phone");
        browser.executeScript("document.getElementById('text-own-attention').scrollIntoView()");
        Screens.viewport(browser, "text-train-phone-attention");

        // its share link replays it into the panel: the settings, the loss curve, the samples and the heads
        String id = (String) browser.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "fetch('/api/history?size=1').then(r => r.json()).then(h => done(h.items[0].id));");
        open("/r/" + id);
        wait.until(d -> d.findElement(By.id("text-own-status")).getText().startsWith("Done:"));
        assertThat(browser.findElement(By.id("text-own-status")).getText()).isEqualTo(status);
        assertThat(new Select(browser.findElement(By.id("text-own-chapter"))).getFirstSelectedOption().getDomAttribute("value"))
                .isEqualTo("2");
        assertThat(browser.findElements(By.cssSelector("#text-own-samples li"))).hasSizeGreaterThanOrEqualTo(2);
        assertThat(browser.findElements(By.cssSelector("#text-own-attention canvas"))).hasSize(8);
        Screens.viewport(browser, "text-train-shared-phone");
        assertThat(consoleErrors()).isEmpty();
    }
}
