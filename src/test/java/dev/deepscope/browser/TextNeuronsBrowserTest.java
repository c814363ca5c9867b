package dev.deepscope.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deepscope.DeepScopeTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A learner follows the knowledge map's MLP-block card to /text, reads one neuron's top contexts in the training text
 * and the tokens its column pushes, picks another neuron, and opens one that fired during a generate run; on a
 * desktop and on a phone.
 */
@DeepScopeTest
class TextNeuronsBrowserTest extends BrowserTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void theMlpCardOpensTheNeuronViewFilledWithTheModelsNumbers() throws Exception {
        viewport(1366, 900);
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        assertThat(followCard("mlp-block").href()).isEqualTo("/text#neurons-panel");
        wait.until(d -> d.findElements(By.cssSelector("#neuron-contexts li")).size() == 10
                && d.findElements(By.cssSelector("#neuron-up li")).size() == 10);
        int block = Integer.parseInt(new Select(browser.findElement(By.id("neuron-block"))).getFirstSelectedOption().getText());
        int index = Integer.parseInt(browser.findElement(By.id("neuron-index")).getDomProperty("value"));
        assertShows(get("/api/text/neurons/" + block + "/" + index));
        assertThat(browser.findElement(By.id("neuron-terms")).findElements(By.className("katex"))).as("the terms typeset")
                .isNotEmpty();
        screenshot("text-neurons-1366");

        // another neuron, by its number
        new Select(browser.findElement(By.id("neuron-block"))).selectByValue("3");
        browser.findElement(By.id("neuron-index")).clear();
        browser.findElement(By.id("neuron-index")).sendKeys("42");
        browser.findElement(By.id("neuron-show")).click();
        wait.until(d -> d.findElement(By.id("neuron-summary")).getText().startsWith("Block 3, neuron 42 "));
        assertShows(get("/api/text/neurons/3/42"));
        browser.findElement(By.id("neuron-next")).click();
        wait.until(d -> d.findElement(By.id("neuron-summary")).getText().startsWith("Block 3, neuron 43 "));

        // a neuron that fired in a generate step opens here
        browser.executeScript("const r = document.getElementById('max-tokens'); r.value = 3;"
                + "r.dispatchEvent(new Event('input', {bubbles: true}));");
        browser.findElement(By.id("generate")).click();
        wait.until(d -> "true".equals(d.findElement(By.id("output")).getDomAttribute("data-done")));
        // the step player re-draws the step's list as it plays: find, read and click one link in one go
        String[] picked = new String[2];
        wait.ignoring(StaleElementReferenceException.class).until(d -> {
            WebElement link = d.findElements(By.cssSelector("#neurons .neuron-link")).stream().findFirst().orElse(null);
            if (link == null) {
                return false;
            }
            picked[0] = link.getDomAttribute("data-block");
            picked[1] = link.getDomAttribute("data-index");
            browser.executeScript("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();", link);
            return true;
        });
        String linkBlock = picked[0];
        String linkIndex = picked[1];
        wait.until(d -> d.findElement(By.id("neuron-summary")).getText()
                .startsWith("Block " + linkBlock + ", neuron " + linkIndex + " "));
        assertShows(get("/api/text/neurons/" + linkBlock + "/" + linkIndex));
        assertThat(browser.findElement(By.tagName("body")).getText()).doesNotContain("\uFFFD")
                .doesNotContainPattern("\\b(undefined|NaN|null)\\b");
        assertThat(consoleErrors()).as("browser console errors (CSP violations, script errors)").isEmpty();
    }

    @Test
    void onAPhoneTheNeuronViewFitsTheScreen() throws Exception {
        viewport(390, 844);
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        open("/text#neurons-panel");
        wait.until(d -> d.findElements(By.cssSelector("#neuron-contexts li")).size() == 10
                && d.findElements(By.cssSelector("#neuron-down li")).size() == 10);
        assertThat((Long) browser.executeScript("return document.documentElement.scrollWidth;"))
                .as("page width on a 390 px screen").isLessThanOrEqualTo(390);
        @SuppressWarnings("unchecked")
        List<String> small = (List<String>) browser.executeScript("""
                const small = [];
                document.querySelectorAll('#neurons-panel button, #neurons-panel input, #neurons-panel select')
                  .forEach(function (e) {
                    const r = e.getBoundingClientRect();
                    if (r.width < 24 || r.height < 24) small.push((e.id || e.className) + ' ' + r.width + '×' + r.height);
                  });
                return small;
                """);
        assertThat(small).as("tap targets under 24 px").isEmpty();
        Number wide = (Number) browser.executeScript(
                "const p = document.getElementById('neurons-panel'); return p.scrollWidth - p.clientWidth;");
        assertThat(wide.intValue()).as("the panel is no wider than the screen").isLessThanOrEqualTo(1);
        browser.executeScript("document.getElementById('neurons-panel').scrollIntoView();");
        screenshot("text-neurons-390");
        browser.executeScript("document.getElementById('neuron-contexts').scrollIntoView();");
        screenshot("text-neurons-contexts-390");
        browser.executeScript("document.querySelector('.neuron-push').parentNode.scrollIntoView();");
        screenshot("text-neurons-push-390");
        assertThat(browser.findElement(By.tagName("body")).getText()).doesNotContain("\uFFFD")
                .doesNotContainPattern("\\b(undefined|NaN|null)\\b");
        assertThat(consoleErrors()).as("browser console errors").isEmpty();
    }

    /** The page shows the answer's contexts (the firing token marked, its activation) and pushes, as they are. */
    private void assertShows(JsonNode neuron) {
        List<WebElement> contexts = browser.findElements(By.cssSelector("#neuron-contexts li"));
        assertThat(contexts).hasSize(neuron.path("contexts").size());
        for (int r = 0; r < contexts.size(); r++) {
            JsonNode c = neuron.path("contexts").get(r);
            double a = c.path("activation").asDouble();
            assertThat(contexts.get(r).getText()).startsWith("a = " + (a < 0 ? "−" : "")
                    + String.format(Locale.ROOT, "%.2f", Math.abs(a)));
            String token = c.path("token").path("text").asString();
            assertThat(contexts.get(r).findElement(By.className("neuron-fired")).getDomProperty("textContent"))
                    .isEqualTo((token.isEmpty() ? c.path("token").path("label").asString() : token).replace("\n", "↵"));
        }
        List<WebElement> up = browser.findElements(By.cssSelector("#neuron-up li"));
        List<WebElement> down = browser.findElements(By.cssSelector("#neuron-down li"));
        assertThat(up).hasSize(10);
        assertThat(down).hasSize(10);
        for (int r = 0; r < 10; r++) {
            double u = neuron.path("up").get(r).path("value").asDouble();
            double d = neuron.path("down").get(r).path("value").asDouble();
            assertThat(up.get(r).getText()).endsWith((u < 0 ? "−" : "+") + String.format(Locale.ROOT, "%.3f", Math.abs(u)));
            assertThat(down.get(r).getText()).endsWith((d < 0 ? "−" : "+") + String.format(Locale.ROOT, "%.3f", Math.abs(d)));
        }
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private void viewport(int width, int height) {
        browser.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height,
                "deviceScaleFactor", 1, "mobile", width < 600));
    }
}
