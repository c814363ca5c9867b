package dev.deepscope.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deepscope.DeepScopeTest;
import dev.deepscope.knowledge.KnowledgeMap;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The knowledge map as a newcomer meets it on a laptop and on a phone: its layout, its links, its deep links. */
@DeepScopeTest
class FrontDoorBrowserTest extends BrowserTest {

    @Test
    void onALaptopTheMapSpansThePageAndTheTitleFitsOnTwoLines() throws Exception {
        Screens.laptop(browser);
        open("/");
        awaitFormulas();
        assertThat(number("return document.querySelector('main').getBoundingClientRect().width"))
                .as("the main column spans the page").isGreaterThan(1000);
        assertThat(number("const h = document.querySelector('h1');"
                + "return h.getBoundingClientRect().height / parseFloat(getComputedStyle(h).lineHeight)"))
                .as("lines of the title").isLessThanOrEqualTo(2.2);
        assertThat(number("return document.querySelectorAll('.map-path li').length")).isEqualTo(4);
        assertThat(number("return Math.max(...[...document.querySelectorAll('.map-card')]"
                + ".map(c => c.getBoundingClientRect().width))")).as("cards are not squeezed").isGreaterThan(240);
        assertThat(browser.findElement(By.cssSelector(".map-path")).getText())
                .contains("Structure").contains("DL1").contains("DL2–4").contains("DL5–7").contains("DL8");
        Screens.fullPage(browser, "map-1366");
        assertThat(consoleErrors()).isEmpty();
    }

    @Test
    void everyUsedInLinkNamesAnExistingCard() {
        open("/");
        List<WebElement> links = browser.findElements(By.cssSelector(".map-card-used a"));
        assertThat(links).hasSize(KnowledgeMap.CONCEPTS.stream().mapToInt(c -> c.usedIn().size()).sum());
        for (WebElement link : links) {
            String id = link.getDomAttribute("href").substring(1);
            WebElement card = browser.findElement(By.id(id));
            assertThat(card.getDomAttribute("class")).isEqualTo("map-card");
            assertThat(link.getText()).isNotBlank().doesNotContain("null")
                    .isEqualTo(card.findElement(By.tagName("h3")).getText());
        }
    }

    @Test
    void tryItLiveLandsOnThePanelInViewAndHighlighted() throws Exception {
        Screens.laptop(browser);
        for (String concept : List.of("activation-functions", "chain-rule", "attention", "classifier-free-guidance")) {
            var panel = followCard(concept);
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
            wait.until(d -> (Boolean) browser.executeScript(
                    "return document.getElementById(arguments[0]).classList.contains('panel-highlight')", panel.id()));
            @SuppressWarnings("unchecked")
            Map<String, Object> box = (Map<String, Object>) browser.executeScript(
                    "const r = document.getElementById(arguments[0]).getBoundingClientRect();"
                            + "return {top: r.top, bottom: r.bottom, height: innerHeight,"
                            + " outline: getComputedStyle(document.getElementById(arguments[0])).outlineStyle}",
                    panel.id());
            double top = ((Number) box.get("top")).doubleValue();
            double height = ((Number) box.get("height")).doubleValue();
            assertThat(top).as(panel.href() + " is in view").isBetween(-1.0, height / 2);
            assertThat(box.get("outline")).as(panel.href() + " is highlighted").isEqualTo("solid");
            Screens.viewport(browser, "deep-link-" + concept);
        }
        assertThat(consoleErrors()).isEmpty();
    }

    @Test
    void onAPhoneNoPageScrollsSideways() throws Exception {
        Screens.phone(browser);
        for (String page : List.of("/", "/digits", "/learning", "/text", "/diffusion")) {
            open(page);
            new WebDriverWait(browser, Duration.ofSeconds(20))
                    .until(d -> browser.executeScript("return document.readyState").equals("complete"));
            assertThat(number("return innerWidth")).isEqualTo(390);
            assertThat(number("return document.documentElement.scrollWidth"))
                    .as(page + " is wider than the phone because of " + browser.executeScript(Screens.WIDER_THAN_SCREEN))
                    .isLessThanOrEqualTo(390);
        }
        open("/");
        awaitFormulas();
        assertThat(browser.executeScript(Screens.SMALL_TAP_TARGETS, ".page-map a, .page-map button"))
                .as("links and buttons smaller than 24 px").isEqualTo(List.of());
        Screens.fullPage(browser, "map-390");
    }

    private void awaitFormulas() {
        new WebDriverWait(browser, Duration.ofSeconds(30))
                .until(d -> d.findElements(By.cssSelector(".map-card .katex")).size() == KnowledgeMap.CONCEPTS.size());
    }

    private double number(String script) {
        return ((Number) browser.executeScript(script)).doubleValue();
    }
}
