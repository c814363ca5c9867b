package dev.deepscope.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deepscope.DeepScopeTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A person asks the small GPT to write on /text from a prompt with accents, CJK and an emoji, watches it
 * token by token in the run player, scrubs back, opens a token, scores and tokenizes text, and opens the share
 * link; on a desktop and on a phone.
 */
@DeepScopeTest
class TextPageBrowserTest extends BrowserTest {

    static final String PROMPT = "naïvely Café 日本 🙂 Call me Ishmael.";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void thePlayerShowsTheTextUpToEachTokenAndUnicodeStaysIntact() throws Exception {
        viewport(1366, 900);
        open("/text");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        WebElement output = browser.findElement(By.id("output"));
        assertThat(output.getDomAttribute("data-tokens")).isEqualTo("0");
        browser.executeScript("document.getElementById('prompt').value = arguments[0];", PROMPT);
        browser.findElement(By.id("generate")).click();

        wait.until(d -> "true".equals(output.getDomAttribute("data-done")));
        WebElement player = browser.findElement(By.cssSelector("[data-run-player]"));
        WebElement scrubber = player.findElement(By.cssSelector("input[type=range]"));
        assertThat(output.getDomAttribute("data-tokens")).isEqualTo("80");
        assertThat(scrubber.getDomProperty("max")).isEqualTo("79");

        String run = browser.findElement(By.cssSelector("#run-status a")).getText();
        Written written = written(run);
        assertThat(written.prompt()).isEqualTo(PROMPT);
        for (int step : new int[] {5, 0, 79, 17}) {
            browser.executeScript("arguments[0].value = arguments[1];"
                    + "arguments[0].dispatchEvent(new Event('input', {bubbles: true}));", scrubber, step);
            assertThat(player.getDomAttribute("data-step")).isEqualTo(String.valueOf(step));
            assertThat(scrubber.getDomProperty("value")).isEqualTo(String.valueOf(step));
            assertThat(shownText()).as("the text at step " + step).isEqualTo(written.upTo(step));
            assertThat(browser.findElement(By.id("detail-title")).getText()).startsWith("Token " + step + ":");
        }
        assertThat(player.getDomAttribute("data-state")).isEqualTo("paused");
        assertThat(browser.findElements(By.cssSelector("#alternatives li"))).hasSize(10);
        assertThat(browser.findElements(By.cssSelector("#lens tr"))).hasSize(1 + 5);
        // attention is drawn only where it can be seen: once its box scrolls into view
        browser.executeScript("document.getElementById('attention-maps').scrollIntoView({block: 'center'});");
        wait.until(d -> d.findElements(By.cssSelector("#attention-maps tr")).size() == 1 + 16);
        wait.until(d -> d.findElements(By.cssSelector("#neighbours li")).size() == 8);
        // token 17 read more keys than the 24 columns: the earlier ones show as one summed column; a cell says its weight
        assertThat(browser.findElement(By.cssSelector("#attention-maps th.attn-earlier")).getText()).isEqualTo("…");
        String liveAttention = attentionPainted();
        assertThat(liveAttention).contains("rgba(53, 88, 214");
        browser.executeScript("document.querySelector('#attention-maps tr:nth-child(3) td:last-child')"
                + ".dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));");
        assertThat(browser.findElement(By.cssSelector("#attention-maps tr:nth-child(3) td:last-child")).getDomAttribute("title"))
                .matches("(?s)L0 H1 → \".*\": [01]\\.\\d{3}");
        screenshot("text-attention-1366");

        // a token of the text opens its step too
        browser.findElement(By.cssSelector("#output .token[data-index='3']")).click();
        assertThat(player.getDomAttribute("data-step")).isEqualTo("3");
        assertThat(shownText()).isEqualTo(written.upTo(3));
        screenshot("text-generate-1366");

        browser.executeScript("document.getElementById('score-text').value = arguments[0];"
                + "document.getElementById('tokenize-text').value = arguments[0];", PROMPT);
        browser.findElement(By.id("score")).click();
        wait.until(d -> browser.findElement(By.id("score-summary")).getText().contains("bits per character"));
        browser.findElement(By.id("tokenize")).click();
        wait.until(d -> browser.findElement(By.id("gpt2-count")).getText().endsWith("tokens")
                && browser.findElement(By.id("ours-count")).getText().endsWith("tokens"));
        assertThat(browser.findElement(By.id("scored")).getText()).isEqualTo(PROMPT);
        // token views label the bytes of a split character, e.g. 日 = E6 97 A5
        assertThat(browser.findElement(By.id("ours")).getText()).contains("⟨E6⟩");
        assertThat(browser.findElement(By.id("gpt2")).getText()).containsPattern("⟨[0-9A-F]{2}⟩");
        assertThat(browser.findElement(By.tagName("body")).getText())
                .contains("naïvely", "Café", "日本", "🙂").doesNotContain("\uFFFD")
                .doesNotContainPattern("\\b(undefined|NaN|null)\\b");
        screenshot("text-score-tokenize-1366");

        // the share link opens in the player at the first step and plays from there
        open("/r/" + run);
        WebElement replayed = browser.findElement(By.id("output"));
        wait.until(d -> "true".equals(replayed.getDomAttribute("data-done")));
        WebElement sharedPlayer = browser.findElement(By.cssSelector("[data-run-player]"));
        int first = Integer.parseInt(sharedPlayer.getDomAttribute("data-step"));
        assertThat(first).as("step shown when every event was read").isLessThan(40);
        assertThat(sharedPlayer.getDomAttribute("data-state")).isEqualTo("playing");
        wait.until(d -> Integer.parseInt(sharedPlayer.getDomAttribute("data-step")) > first);
        // step and text read in one script: the player keeps playing between two separate reads
        @SuppressWarnings("unchecked")
        List<Object> stepAndText = (List<Object>) browser.executeScript("return ["
                + "document.querySelector('[data-run-player]').getAttribute('data-step'),"
                + "document.getElementById('output').textContent];");
        assertThat(((String) stepAndText.get(1)).replace("↵", ""))
                .isEqualTo(written.upTo(Integer.parseInt((String) stepAndText.get(0))));
        // scrubbed back to token 17, the replay decodes the stored attention into the very picture seen live
        browser.executeScript("const r = document.querySelector('[data-run-player] input[type=range]');"
                + "r.value = 17; r.dispatchEvent(new Event('input', {bubbles: true}));"
                + "document.getElementById('attention-maps').scrollIntoView({block: 'center'});");
        wait.until(d -> d.findElements(By.cssSelector("#attention-maps tr")).size() == 1 + 16);
        assertThat(attentionPainted()).isEqualTo(liveAttention);
        assertThat(consoleErrors()).as("browser console errors (CSP violations, script errors)").isEmpty();
    }

    @Test
    void onAPhoneNothingScrollsSidewaysAndEveryControlIsBigEnoughToTap() throws Exception {
        viewport(390, 844);
        open("/text");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        browser.executeScript("document.getElementById('prompt').value = arguments[0];", PROMPT);
        browser.findElement(By.id("generate")).click();
        wait.until(d -> "true".equals(browser.findElement(By.id("output")).getDomAttribute("data-done")));
        browser.executeScript("const r = document.querySelector('[data-run-player] input[type=range]');"
                + "r.value = 40; r.dispatchEvent(new Event('input'));");
        // attention is drawn once its box is on screen
        browser.executeScript("document.getElementById('attention-maps').scrollIntoView();");
        wait.until(d -> !d.findElements(By.cssSelector("#attention-maps td")).isEmpty());
        browser.findElement(By.id("tokenize")).click();
        wait.withMessage(() -> "GPT-2's count says: " + browser.findElement(By.id("gpt2-count")).getText())
                .until(d -> browser.findElement(By.id("gpt2-count")).getText().endsWith("tokens"));

        assertThat((Long) browser.executeScript("return document.documentElement.scrollWidth;"))
                .as("page width on a 390 px screen").isLessThanOrEqualTo(390);
        // the page's own controls (the selector must match them: a check of nothing would always pass)
        String controls = ".page-text .workbench button, .page-text .workbench input, .page-text .workbench select,"
                + " .page-text .workbench textarea";
        assertThat((Long) browser.executeScript("return document.querySelectorAll(arguments[0]).length;", controls))
                .as("controls checked for tap size").isGreaterThan(5);
        @SuppressWarnings("unchecked")
        List<String> small = (List<String>) browser.executeScript("""
                const small = [];
                document.querySelectorAll(arguments[0]).forEach(function (e) {
                  // a checkbox is tapped through its label, when it has one
                  const target = (e.type === 'checkbox' && e.closest('label')) || e;
                  const r = target.getBoundingClientRect();
                  if (r.width && (r.width < 24 || r.height < 24)) small.push((e.id || e.className) + ' ' + r.width + '×' + r.height);
                });
                return small;
                """, controls);
        assertThat(small).as("tap targets under 24 px").isEmpty();
        browser.executeScript("window.scrollTo(0, document.getElementById('prompt').getBoundingClientRect().top + window.scrollY - 8);");
        screenshot("text-generate-390");
        browser.executeScript("document.getElementById('token-detail').scrollIntoView();");
        screenshot("text-inside-390");
        browser.executeScript("document.getElementById('attention-maps').scrollIntoView();");
        screenshot("text-attention-390");
    }

    /** The attention grid as drawn: its key labels and every cell's colour. */
    private String attentionPainted() {
        return (String) browser.executeScript("const g = document.getElementById('attention-maps');"
                + "return Array.from(g.querySelectorAll('th')).map(function (th) { return th.textContent; }).join('|')"
                + " + '#' + Array.from(g.querySelectorAll('td')).map(function (td) { return td.style.background; }).join('|');");
    }

    /** The text shown in #output, without the ↵ that marks a newline. */
    private String shownText() {
        return ((String) browser.executeScript("return document.getElementById('output').textContent;"))
                .replace("↵", "");
    }

    /** Sets the size of the page's viewport (not the window), as a phone or a desktop has it. */
    private void viewport(int width, int height) {
        browser.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height,
                "deviceScaleFactor", 1, "mobile", width < 600));
    }

    /** A run's prompt and token texts, read from the API: what the page must show at each step. */
    record Written(String prompt, List<String> tokens) {
        String upTo(int step) {
            return prompt + String.join("", tokens.subList(0, step + 1));
        }
    }

    private Written written(String run) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/api/runs/" + run + "/events")).build(),
                HttpResponse.BodyHandlers.ofString());
        StringBuilder prompt = new StringBuilder();
        List<String> tokens = new ArrayList<>();
        String event = null;
        for (String line : response.body().split("\n")) {
            if (line.startsWith("event:")) {
                event = line.substring(6).trim();
            } else if (line.startsWith("data:") && ("prompt".equals(event) || "token".equals(event))) {
                JsonNode data = JSON.readTree(line.substring(5));
                if ("prompt".equals(event)) {
                    data.path("tokens").forEach(t -> prompt.append(t.path("text").asString()));
                } else {
                    tokens.add(data.path("text").asString());
                }
            }
        }
        return new Written(prompt.toString(), tokens);
    }
}
