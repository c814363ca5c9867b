package dev.deepscope.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deepscope.DeepScopeTest;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A learner follows the map's "Vectors & dot products" card to /text#embedding-panel, searches a token and reads
 * its neighbours' dot products, lengths and cosines, runs a − b + c, and sees the token and the result marked on
 * the projection, whose points name themselves under the pointer or a tap; on a desktop and on a phone.
 */
@DeepScopeTest
class TextVectorsBrowserTest extends BrowserTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** text-vectors.js's colours for the searched token's dot and the cross at a − b + c. */
    private static final int[] SEARCHED = {0xc2, 0x41, 0x0c};
    private static final int[] RESULT = {0x7c, 0x3a, 0xed};

    @Test
    void theCardOpensTheSpaceAndASearchAndAnArithmeticFillItAndMarkTheMap() throws Exception {
        Screens.laptop(browser);
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        assertThat(followCard("dot-products").href()).isEqualTo("/text#embedding-panel");
        // it opens filled: the example word's neighbours and the example arithmetic
        wait.until(d -> d.findElements(By.cssSelector("#vec-neighbours tr")).size() == 11
                && d.findElements(By.cssSelector("#vec-arith tr")).size() == 9);

        search("ship");
        JsonNode ship = get("/api/text/embeddings/neighbours?count=10&token=" + URLEncoder.encode(" ship", StandardCharsets.UTF_8));
        List<WebElement> rows = browser.findElements(By.cssSelector("#vec-neighbours tr"));
        for (int i = 0; i < 10; i++) {
            JsonNode n = ship.path("neighbours").get(i);
            assertThat(rows.get(i + 1).getText()).as("row %d", i)
                    .startsWith(n.path("label").asString().replace(' ', '␣'))
                    .contains(fixed(n.path("dot").asDouble()), fixed(n.path("norm").asDouble()), fixed(n.path("cosine").asDouble()));
        }
        // the formula with the top pair's numbers, typeset
        JsonNode top = ship.path("neighbours").get(0);
        assertThat(browser.findElement(By.id("vec-formula")).getDomAttribute("data-tex"))
                .contains(String.format(Locale.ROOT, "\\frac{%.3f}{%.3f \\times %.3f} = %.3f", top.path("dot").asDouble(),
                        ship.path("norm").asDouble(), top.path("norm").asDouble(), top.path("cosine").asDouble()));
        assertThat(browser.findElements(By.cssSelector("#vec-formula .katex"))).isNotEmpty();
        assertThat(marked(ship.path("id").asInt(), SEARCHED)).as("the searched token's dot on the map").isPositive();

        // a word of several tokens lists its pieces to pick from
        search("harpooneers");
        assertThat(browser.findElement(By.id("vec-pieces")).getText()).contains("tokens of the model", "Showing the first");
        List<WebElement> pieces = browser.findElements(By.cssSelector("#vec-pieces .vec-piece"));
        assertThat(pieces).hasSizeGreaterThan(1);
        String second = pieces.get(1).getText();
        pieces.get(1).click();
        wait.until(d -> d.findElement(By.id("vec-pieces")).getText().contains("“" + second + "” is one token"));

        // a box that is not one token: the problem names it
        arithmetic("harpooneers", "whale", "hand");
        assertThat(browser.findElement(By.id("vec-arith-summary")).getText()).startsWith("a must be the text of one token");

        // a − b + c: the answer's nearest tokens, r marked on the map
        arithmetic("whales", "whale", "hand");
        JsonNode r = post("/api/text/embeddings/arithmetic", Map.of("a", " whales", "b", " whale", "c", " hand", "count", 8));
        List<WebElement> answer = browser.findElements(By.cssSelector("#vec-arith tr"));
        assertThat(answer).hasSize(9);
        assertThat(answer.get(1).getText()).startsWith(r.path("neighbours").get(0).path("label").asString().replace(' ', '␣'))
                .endsWith(fixed(r.path("neighbours").get(0).path("cosine").asDouble()));
        assertThat(browser.findElement(By.id("vec-arith-summary")).getText()).contains("‖r‖ = " + fixed(r.path("norm").asDouble()));
        assertThat(markedAt(r.path("x").asDouble(), r.path("y").asDouble(), RESULT)).as("a − b + c's cross on the map").isPositive();


        // the pointer over a point names it
        JsonNode point = get("/api/text/embeddings/projection").get(ship.path("id").asInt());
        pointAt(point.path("x").asDouble(), point.path("y").asDouble(), "pointermove");
        assertThat(browser.findElement(By.id("vec-point")).getText()).contains("token " + ship.path("id").asInt());
        browser.executeScript("document.getElementById('embedding-panel').scrollIntoView();");
        screenshot("text-vectors-1366");
        browser.executeScript("document.getElementById('vec-arith-form').scrollIntoView();");
        screenshot("text-vectors-arithmetic-1366");
        assertThat(browser.findElement(By.id("embedding-panel")).getText()).doesNotContain("\uFFFD")
                .doesNotContainPattern("\\b(undefined|NaN|null)\\b");
        assertThat(consoleErrors()).as("browser console errors but the 400 asked for above")
                .allMatch(e -> e.getMessage().contains("/api/text/embeddings/arithmetic") && e.getMessage().contains("400"))
                .hasSizeLessThanOrEqualTo(1);
    }

    @Test
    void onAPhoneThePanelFitsAndATapNamesAPointAndFindsItsNeighbours() throws Exception {
        Screens.phone(browser);
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        open("/text#embedding-panel");
        wait.until(d -> d.findElements(By.cssSelector("#vec-neighbours tr")).size() == 11
                && d.findElements(By.cssSelector("#vec-arith tr")).size() == 9);
        JsonNode points = get("/api/text/embeddings/projection");
        JsonNode whale = points.get(get("/api/text/embeddings/neighbours?token=%20whale").path("id").asInt());
        browser.executeScript("document.getElementById('projection').scrollIntoView();");
        pointAt(whale.path("x").asDouble(), whale.path("y").asDouble(), "click");
        wait.until(d -> d.findElement(By.id("vec-pieces")).getText().contains("picked on the map"));
        assertThat(browser.findElement(By.id("vec-point")).getText()).contains("token " + whale.path("id").asInt());
        assertThat((Long) browser.executeScript("return document.documentElement.scrollWidth;"))
                .as("page width on a 390 px screen").isLessThanOrEqualTo(390);
        @SuppressWarnings("unchecked")
        List<String> wide = (List<String>) browser.executeScript("""
                return [...document.querySelectorAll('#embedding-panel *')].filter(e => !e.closest('.formula'))
                  .filter(e => e.getBoundingClientRect().right > innerWidth + 0.5 && getComputedStyle(e).display !== 'none')
                  .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + ' (' + Math.round(e.getBoundingClientRect().right) + ' px)')
                  .concat([...document.querySelectorAll('#embedding-panel .formula')]
                    .filter(f => f.scrollWidth > f.clientWidth + 1).map(f => 'formula ' + f.scrollWidth + ' > ' + f.clientWidth));""");
        assertThat(wide).as("elements wider than the screen, formulas that must scroll").isEmpty();
        @SuppressWarnings("unchecked")
        List<String> small = (List<String>) browser.executeScript(Screens.SMALL_TAP_TARGETS,
                "#embedding-panel button, #embedding-panel input");
        assertThat(small).as("tap targets under 24 px").isEmpty();
        screenshot("text-vectors-map-390");
        browser.executeScript("document.getElementById('vec-search-form').scrollIntoView();");
        screenshot("text-vectors-search-390");
        browser.executeScript("document.getElementById('vec-arith-form').scrollIntoView();");
        screenshot("text-vectors-arithmetic-390");
        assertThat(consoleErrors()).as("browser console errors").isEmpty();
    }

    private void search(String word) {
        WebElement input = browser.findElement(By.id("vec-search"));
        input.clear();
        input.sendKeys(word);
        browser.findElement(By.cssSelector("#vec-search-form button")).click();
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d ->
                d.findElement(By.id("vec-pieces")).getText().startsWith("“␣" + word + "” is"));
    }

    private void arithmetic(String a, String b, String c) {
        String before = browser.findElement(By.id("vec-arith-summary")).getText();
        for (String[] box : new String[][] {{"vec-a", a}, {"vec-b", b}, {"vec-c", c}}) {
            WebElement input = browser.findElement(By.id(box[0]));
            input.clear();
            input.sendKeys(box[1]);
        }
        browser.findElement(By.cssSelector("#vec-arith-form button")).click();
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> {
            String now = d.findElement(By.id("vec-arith-summary")).getText();
            return !now.equals(before) && !now.equals("Computing…");
        });
    }

    /** Pixels of {@code colour} in the 7×7 square around token {@code id}'s place on the map. */
    private long marked(int id, int[] colour) throws Exception {
        JsonNode p = get("/api/text/embeddings/projection").get(id);
        return markedAt(p.path("x").asDouble(), p.path("y").asDouble(), colour);
    }

    private long markedAt(double x, double y, int[] colour) throws Exception {
        JsonNode points = get("/api/text/embeddings/projection");
        double[] at = canvasPlace(points, x, y);
        return (Long) browser.executeScript("""
                const d = document.getElementById('projection').getContext('2d')
                    .getImageData(Math.round(arguments[0]) - 3, Math.round(arguments[1]) - 3, 7, 7).data;
                let n = 0;
                for (let i = 0; i < d.length; i += 4) {
                  if (Math.abs(d[i] - arguments[2]) < 8 && Math.abs(d[i + 1] - arguments[3]) < 8
                      && Math.abs(d[i + 2] - arguments[4]) < 8) n++;
                }
                return n;""", at[0], at[1], colour[0], colour[1], colour[2]);
    }

    /** A pointer event at the screen place of (x, y) of the projection. */
    private void pointAt(double x, double y, String type) throws Exception {
        double[] at = canvasPlace(get("/api/text/embeddings/projection"), x, y);
        browser.executeScript("""
                const c = document.getElementById('projection'); const r = c.getBoundingClientRect();
                const s = r.width / c.width;
                const init = {bubbles: true, pointerType: 'mouse', clientX: r.left + arguments[0] * s, clientY: r.top + arguments[1] * s};
                c.dispatchEvent(arguments[2] === 'click' ? new MouseEvent('click', init) : new PointerEvent(arguments[2], init));""",
                at[0], at[1], type);
    }

    /** Where text-vectors.js draws (x, y): the points' box scaled into the 480-pixel canvas less a 14-pixel margin. */
    private static double[] canvasPlace(JsonNode points, double x, double y) {
        double minX = Double.MAX_VALUE, maxX = -Double.MAX_VALUE, minY = Double.MAX_VALUE, maxY = -Double.MAX_VALUE;
        for (JsonNode p : points) {
            minX = Math.min(minX, p.path("x").asDouble());
            maxX = Math.max(maxX, p.path("x").asDouble());
            minY = Math.min(minY, p.path("y").asDouble());
            maxY = Math.max(maxY, p.path("y").asDouble());
        }
        return new double[] {14 + (480 - 28) * (x - minX) / (maxX - minX), 14 + (480 - 28) * (y - minY) / (maxY - minY)};
    }

    private static String fixed(double x) {
        return (x < 0 ? "−" : "") + String.format(Locale.ROOT, "%.3f", Math.abs(x));
    }

    private JsonNode get(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET().build());
    }

    private JsonNode post(String path, Object body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build());
    }

    private static JsonNode send(HttpRequest request) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
