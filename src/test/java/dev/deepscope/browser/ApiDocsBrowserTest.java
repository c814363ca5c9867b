package dev.deepscope.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deepscope.DeepScopeTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The API's documentation page (Swagger UI from the jar's webjar) renders under the app's Content-Security-Policy:
 * every operation listed, one opened with its parameters' bounds and its error answers, no console errors.
 */
@DeepScopeTest
class ApiDocsBrowserTest extends BrowserTest {

    @Test
    void theUiListsEveryOperationAndShowsOneWithItsBoundsOnALaptop() throws Exception {
        Screens.laptop(browser);
        open("/api-docs/ui");
        awaitOperations();
        assertThat(browser.findElement(By.cssSelector(".info .title")).getText()).contains("DeepScope API");
        Screens.fullPage(browser, "api-docs-1366");
        // the events stream: its speed bound, and its answers down to 429 with Retry-After
        browser.findElement(By.id("operations-runs-events")).findElement(By.cssSelector(".opblock-summary-control"))
                .click();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        wait.until(d -> d.findElement(By.id("operations-runs-events")).getText().contains("Retry-After"));
        String opened = browser.findElement(By.id("operations-runs-events")).getText();
        assertThat(opened).contains("speed", "maximum", "100", "text/event-stream", "429", "410");
        Screens.fullPage(browser, "api-docs-events-1366");
        assertThat(consoleErrors()).as("CSP violations and script errors").isEmpty();
    }

    @Test
    void onAPhoneTheUiRendersToo() throws Exception {
        Screens.phone(browser);
        open("/api-docs/ui");
        awaitOperations();
        Screens.fullPage(browser, "api-docs-390");
        assertThat(consoleErrors()).as("CSP violations and script errors").isEmpty();
    }

    private void awaitOperations() {
        new WebDriverWait(browser, Duration.ofSeconds(60))
                .until(d -> d.findElements(By.cssSelector(".opblock")).size() >= 20);
    }
}
