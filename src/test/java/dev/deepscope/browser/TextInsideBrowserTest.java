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
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A learner follows the knowledge map's attention and residual-stream cards to /text, picks a token, a block and a
 * head, reads the query, keys, scores, weights and values the model computed, the residual stream's writes, and
 * knocks heads out; on a desktop and on a phone.
 */
@DeepScopeTest
class TextInsideBrowserTest extends BrowserTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void theCardsOpenTheInsideViewsFilledWithTheModelsNumbers() throws Exception {
        viewport(1366, 900);
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        assertThat(followCard("attention").href()).isEqualTo("/text#inside-attention-panel");
        String text = browser.findElement(By.id("inside-text")).getDomProperty("value");
        int tokens = wait.until(d -> {
            int n = d.findElements(By.cssSelector("#inside-tokens .inside-token")).size();
            return n > 0 && d.findElements(By.cssSelector("#qkv-rows .qkv-row")).size() == n ? n : null;
        });
        // the last token is picked first; pick token 6 in block 2, head 3
        browser.findElement(By.cssSelector("#inside-tokens .inside-token[data-index='6']")).click();
        wait.until(d -> d.findElements(By.cssSelector("#qkv-rows .qkv-row")).size() == 7);
        new Select(browser.findElement(By.id("inside-layer"))).selectByValue("2");
        wait.until(d -> d.findElement(By.id("qkv-summary")).getText().startsWith("Block 2, head 0"));
        new Select(browser.findElement(By.id("inside-head"))).selectByValue("3");
        wait.until(d -> d.findElement(By.id("qkv-summary")).getText().startsWith("Block 2, head 3"));
        assertThat(browser.findElement(By.cssSelector("#inside-tokens .selected")).getDomAttribute("data-index")).isEqualTo("6");

        // the weights and scores shown are the API's for the same question, as they are
        JsonNode inside = post("/api/text/inside", Map.of("text", text, "position", 6, "layer", 2, "head", 3));
        List<WebElement> rows = browser.findElements(By.cssSelector("#qkv-rows .qkv-row"));
        assertThat(rows).hasSize(7);
        for (int j = 0; j < rows.size(); j++) {
            double w = inside.path("weights").get(j).asDouble();
            assertThat(rows.get(j).findElement(By.className("qkv-number")).getText()).isEqualTo(String.format(Locale.ROOT, "%.3f", w));
            String score = String.format(Locale.ROOT, "%.2f", Math.abs(inside.path("scores").get(j).asDouble()));
            assertThat(rows.get(j).findElement(By.className("qkv-score")).getText()).endsWith(score);
        }
        // a strip says the number under the pointer: the query's first component
        browser.executeScript("const c = document.getElementById('qkv-query'); const r = c.getBoundingClientRect();"
                + "c.dispatchEvent(new MouseEvent('mousemove', {bubbles: true, clientX: r.left + 1, clientY: r.top + 2}));");
        double q0 = inside.path("query").get(0).asDouble();
        assertThat(browser.findElement(By.id("qkv-query")).getDomAttribute("title"))
                .isEqualTo("q[0] = " + (q0 < 0 ? "−" : "") + String.format(Locale.ROOT, "%.3f", Math.abs(q0)));
        browser.executeScript("document.getElementById('inside-attention-panel').scrollIntoView();");
        screenshot("text-inside-attention-1366");

        // the residual stream's card: the embedding and four blocks, each write's length and cosine, the lens
        assertThat(followCard("residual-stream").href()).isEqualTo("/text#residual-panel");
        wait.until(d -> d.findElements(By.cssSelector("#residual tr")).size() == 1 + 1 + 4);
        JsonNode last = post("/api/text/inside", Map.of("text", text, "layer", 0, "head", 0));
        String block3 = browser.findElement(By.cssSelector("#residual tr:last-child")).getText();
        assertThat(block3).startsWith("block 3")
                .contains(String.format(Locale.ROOT, "%.2f", last.path("residual").get(3).path("stream").path("norm").asDouble()))
                .contains(last.path("residual").get(3).path("lens").get(0).path("label").asString().replace("\n", "↵"));
        screenshot("text-residual-1366");

        // knock out every head of block 0: the intact and the knocked-out predictions side by side
        wait.until(d -> d.findElements(By.cssSelector("#knockout-before li")).size() == 10);
        assertThat(browser.findElement(By.id("knockout-summary")).getText()).startsWith("Nothing is switched off");
        for (int h = 0; h < 4; h++) {
            browser.findElement(By.cssSelector("#knockout-grid input[data-block='0'][data-head='" + h + "']")).click();
        }
        wait.until(d -> d.findElement(By.id("knockout-summary")).getText().startsWith("4 parts off"));
        JsonNode next = post("/api/text/next", Map.of("text", text, "ablate", List.of(Map.of("block", 0, "head", 0),
                Map.of("block", 0, "head", 1), Map.of("block", 0, "head", 2), Map.of("block", 0, "head", 3))));
        assertThat(browser.findElement(By.id("knockout-summary")).getText())
                .contains(String.format(Locale.ROOT, "KL = %.3f bits", next.path("klBits").asDouble()));
        assertThat(browser.findElements(By.cssSelector("#knockout-after li"))).hasSize(10);
        browser.executeScript("document.getElementById('knockout-panel').scrollIntoView();");
        screenshot("text-knockout-1366");
        assertThat(browser.findElement(By.tagName("body")).getText()).doesNotContain("\uFFFD")
                .doesNotContainPattern("\\b(undefined|NaN|null)\\b");
        assertThat(consoleErrors()).as("browser console errors (CSP violations, script errors)").isEmpty();
    }

    @Test
    void onAPhoneTheInsideViewsFitTheScreenAndEveryControlCanBeTapped() throws Exception {
        viewport(390, 844);
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        open("/text#inside-attention-panel");
        wait.until(d -> !d.findElements(By.cssSelector("#qkv-rows .qkv-row")).isEmpty()
                && d.findElements(By.cssSelector("#residual tr")).size() == 6
                && d.findElements(By.cssSelector("#knockout-before li")).size() == 10);
        browser.findElement(By.cssSelector("#knockout-grid input[data-block='2']:not([data-head])")).click();
        wait.until(d -> d.findElement(By.id("knockout-summary")).getText().startsWith("1 part off"));
        assertThat((Long) browser.executeScript("return document.documentElement.scrollWidth;"))
                .as("page width on a 390 px screen").isLessThanOrEqualTo(390);
        @SuppressWarnings("unchecked")
        List<String> small = (List<String>) browser.executeScript("""
                const small = [];
                document.querySelectorAll('#inside-panel button, #inside-panel textarea, .inside-bench button,'
                    + ' .inside-bench input, .inside-bench select').forEach(function (e) {
                  const r = e.getBoundingClientRect();
                  if (r.width < 24 || r.height < 24) small.push((e.id || e.className) + ' ' + r.width + '×' + r.height);
                });
                return small;
                """);
        assertThat(small).as("tap targets under 24 px").isEmpty();
        @SuppressWarnings("unchecked")
        List<String> wide = (List<String>) browser.executeScript("""
                const wide = [];
                document.querySelectorAll('#inside-panel, .inside-bench .panel').forEach(function (p) {
                  if (p.scrollWidth > p.clientWidth + 1) wide.push(p.id + ' ' + p.scrollWidth + ' > ' + p.clientWidth);
                });
                return wide;
                """);
        assertThat(wide).as("panels wider than the screen").isEmpty();
        browser.executeScript("document.getElementById('inside-panel').scrollIntoView();");
        screenshot("text-inside-tokens-390");
        browser.executeScript("document.getElementById('inside-attention-panel').scrollIntoView();");
        screenshot("text-inside-attention-390");
        browser.executeScript("document.getElementById('qkv-summary').scrollIntoView();");
        screenshot("text-inside-rows-390");
        browser.executeScript("document.getElementById('residual-panel').scrollIntoView();");
        screenshot("text-residual-390");
        browser.executeScript("document.getElementById('knockout-panel').scrollIntoView();");
        screenshot("text-knockout-390");
        assertThat(consoleErrors()).as("browser console errors").isEmpty();
    }

    private JsonNode post(String path, Object body) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private void viewport(int width, int height) {
        browser.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height,
                "deviceScaleFactor", 1, "mobile", width < 600));
    }
}
