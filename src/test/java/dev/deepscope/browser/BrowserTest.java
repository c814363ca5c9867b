package dev.deepscope.browser;

import org.openqa.selenium.support.ui.WebDriverWait;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.By;
import dev.deepscope.knowledge.Panel;
import dev.deepscope.knowledge.KnowledgeMap;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.openqa.selenium.logging.LogEntry;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * A browser test: headless Debian Chromium driven by its own chromedriver (nothing is downloaded), one
 * per test, against the app on its random port. CI installs both
 * and sets DEEPSCOPE_REQUIRE_BROWSER=1, so there a missing browser fails instead of skipping.
 */
abstract class BrowserTest {

    static final File CHROMIUM = new File("/usr/bin/chromium");
    static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");

    @LocalServerPort
    protected int port;

    protected ChromeDriver browser;

    @BeforeEach
    void startBrowser() {
        browser = start();
    }

    @AfterEach
    void quitBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    /**
     * Puts a mouse pen down on {@code element} at (x, y) CSS pixels off its centre (as Selenium's
     * {@code moveToElement(element, x, y)} counts), through Chromium's own input pipeline (CDP
     * {@code Input.dispatchMouseEvent}): the page gets real pointerdown/move/up events, as from a mouse. Why not
     * WebDriver actions: chromedriver spends ~0.2 s on each pointer move here (16 moves took 3.4 s on a blank page),
     * CDP ~0.05 s, and a test that draws 30 strokes spent 88 s drawing.
     */
    protected Pen penDown(WebElement element, int x, int y) {
        @SuppressWarnings("unchecked")
        Map<String, Object> box = (Map<String, Object>) browser.executeScript(
                "arguments[0].scrollIntoView({block: 'nearest'});"   // as WebDriver scrolls to the element it moves to
                        + "const r = arguments[0].getBoundingClientRect(); return {x: r.left + r.width / 2, y: r.top + r.height / 2};",
                element);
        Pen pen = new Pen(((Number) box.get("x")).doubleValue() + x, ((Number) box.get("y")).doubleValue() + y);
        pen.send("mousePressed", 1);
        return pen;
    }

    /** A pen on the page (viewport CSS pixels); {@link #by} draws to the next point, {@link #lift} ends the stroke. */
    protected final class Pen {
        private double x;
        private double y;

        private Pen(double x, double y) {
            this.x = x;
            this.y = y;
        }

        /** Moves the pressed pen by (dx, dy) CSS pixels. */
        public Pen by(int dx, int dy) {
            x += dx;
            y += dy;
            send("mouseMoved", 1);
            return this;
        }

        /** Lifts the pen where it is: the stroke ends (pointerup). */
        public void lift() {
            send("mouseReleased", 0);
        }

        private void send(String type, int buttons) {
            browser.executeCdpCommand("Input.dispatchMouseEvent", Map.of("type", type, "x", x, "y", y,
                    "button", "left", "buttons", buttons, "clickCount", 1));
        }
    }

    /** Opens a page of the app under test, e.g. {@code /digits}. */
    protected void open(String path) {
        browser.get("http://localhost:" + port + path);
    }

    /**
     * Opens the map and follows {@code concept}'s card ("Try it live"), as a learner does, until the page it leads
     * to has loaded.
     *
     * @param concept a card's id on the map, e.g. {@code attention}
     * @return the panel the card leads to (the URL ends with its {@link Panel#href()})
     */
    protected Panel followCard(String concept) {
        Panel panel = KnowledgeMap.concept(concept).orElseThrow().panel();
        open("/");
        WebElement link = browser.findElement(By.cssSelector("#" + concept + " .map-card-try"));
        browser.executeScript("arguments[0].scrollIntoView({block: 'center'})", link);
        link.click();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        wait.until(d -> d.getCurrentUrl().endsWith(panel.href()));
        wait.until(d -> "complete".equals(browser.executeScript("return document.readyState")));
        return panel;
    }

    /** What the page logged as errors: CSP violations and script errors show up here. */
    protected List<LogEntry> consoleErrors() {
        return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .toList();
    }

    protected void screenshot(String name) throws IOException {
        screenshot(browser, name);
    }

    private static ChromeDriver start() {
        boolean present = CHROMIUM.canExecute() && CHROMEDRIVER.canExecute();
        if (!"1".equals(System.getenv("DEEPSCOPE_REQUIRE_BROWSER"))) {
            assumeTrue(present, "Debian's chromium and chromium-driver are not installed");
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=1280,1000");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER).build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return driver;
    }

    /** Kept under target/screenshots for a person to look at. */
    private static void screenshot(ChromeDriver driver, String name) throws IOException {
        Path dir = Path.of("target", "screenshots");
        Files.createDirectories(dir);
        Files.write(dir.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
    }
}
