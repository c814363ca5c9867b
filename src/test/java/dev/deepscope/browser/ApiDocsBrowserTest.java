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
        browser.executeScript("document.getElementById('operations-runs-events').scrollIntoView()");
        Screens.viewport(browser, "api-docs-events-top-1366");
        browser.executeScript("[...document.querySelectorAll('#operations-runs-events tr.response')]"
                + ".find(r => r.dataset.code === '429').scrollIntoView()");
        Screens.viewport(browser, "api-docs-events-429-1366");
        // a run kind's params with their bounds, in the schemas section
        browser.executeScript("document.getElementById('model-TrainParams').scrollIntoView()");
        browser.findElement(By.cssSelector("#model-TrainParams .model-box-control")).click();
        wait.until(d -> d.findElement(By.id("model-TrainParams")).getText().contains("learningRate"));
        // each member opens by its own toggle ("[...]")
        browser.executeScript("[...document.querySelectorAll('#model-TrainParams button[aria-expanded=\"false\"]')]"
                + ".forEach(b => b.click())");
        wait.until(d -> d.findElement(By.id("model-TrainParams")).getText().contains("maximum"));
        browser.executeScript("document.getElementById('model-TrainParams').scrollIntoView()");
        Screens.viewport(browser, "api-docs-train-params-1366");
        assertThat(browser.findElement(By.id("model-TrainParams")).getText()).contains("20000");
        assertThat(consoleErrors()).as("CSP violations and script errors").isEmpty();
    }

    @Test
    void onAPhoneTheUiRendersToo() throws Exception {
        Screens.phone(browser);
        open("/api-docs/ui");
        awaitOperations();
        Screens.fullPage(browser, "api-docs-390");
        Screens.viewport(browser, "api-docs-390-top");
        assertThat(browser.executeScript("return document.documentElement.clientWidth")).as("laid out for the phone")
                .isEqualTo(390L);
        assertThat(browser.executeScript(Screens.WIDER_THAN_SCREEN)).as("nothing sticks out sideways")
                .asList().isEmpty();
        browser.findElement(By.id("operations-runs-create")).findElement(By.cssSelector(".opblock-summary-control"))
                .click();
        new WebDriverWait(browser, Duration.ofSeconds(20))
                .until(d -> d.findElement(By.id("operations-runs-create")).getText().contains("Retry-After"));
        browser.executeScript("document.getElementById('operations-runs-create').scrollIntoView()");
        Screens.viewport(browser, "api-docs-runs-390");
        browser.executeScript("[...document.querySelectorAll('#operations-runs-create tr.response')]"
                + ".find(r => r.dataset.code === '429').scrollIntoView()");
        Screens.viewport(browser, "api-docs-runs-429-390");
        assertThat(browser.executeScript(Screens.WIDER_THAN_SCREEN)).as("an opened operation fits too")
                .asList().isEmpty();
        assertThat(consoleErrors()).as("CSP violations and script errors").isEmpty();
    }

    private void awaitOperations() {
        new WebDriverWait(browser, Duration.ofSeconds(60))
                .until(d -> d.findElements(By.cssSelector(".opblock")).size() >= 20);
    }
}
