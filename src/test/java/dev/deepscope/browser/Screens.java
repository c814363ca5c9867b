package dev.deepscope.browser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The two screens DeepScope is checked on, emulated exactly through the DevTools protocol (a window size would
 * include the browser's own frame): a laptop (1366×900) and a phone (390×844, touch, mobile viewport); and
 * full-page screenshots under target/screenshots for a person to look at.
 */
final class Screens {

    /** The elements that stick out to the right of the viewport, for a failure message. */
    static final String WIDER_THAN_SCREEN = """
            return [...document.querySelectorAll('body *')]
              .filter(e => e.getBoundingClientRect().right > innerWidth + 0.5 && getComputedStyle(e).display !== 'none')
              .filter(e => !e.parentElement || e.parentElement.getBoundingClientRect().right <= innerWidth + 0.5)
              .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + String(e.className).split(' ').join('.') : '')
                 + ' (' + Math.round(e.getBoundingClientRect().right) + ' px)');""";

    /** Visible links and buttons (matching arguments[0]) less than 24 px tall or wide. */
    static final String SMALL_TAP_TARGETS = """
            return [...document.querySelectorAll(arguments[0])]
              .filter(e => e.getClientRects().length > 0)
              .filter(e => { const r = e.getBoundingClientRect(); return r.height < 24 || r.width < 24; })
              .map(e => e.tagName.toLowerCase() + ' "' + e.textContent.trim().slice(0, 30) + '" '
                 + Math.round(e.getBoundingClientRect().width) + '×' + Math.round(e.getBoundingClientRect().height));""";

    private Screens() {
    }

    static void laptop(ChromeDriver browser) {
        emulate(browser, 1366, 900, false);
    }

    static void phone(ChromeDriver browser) {
        emulate(browser, 390, 844, true);
    }

    private static void emulate(ChromeDriver browser, int width, int height, boolean mobile) {
        browser.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", mobile));
        browser.executeCdpCommand("Emulation.setTouchEmulationEnabled", Map.of("enabled", mobile));
    }

    /** The whole page, not only what is in view. */
    static void fullPage(ChromeDriver browser, String name) throws IOException {
        Number width = (Number) browser.executeScript("return document.documentElement.clientWidth");
        Number height = (Number) browser.executeScript("return document.documentElement.scrollHeight");
        Map<String, Object> shot = browser.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
                "captureBeyondViewport", true, "clip", Map.of("x", 0, "y", 0, "width", width,
                        "height", Math.min(height.intValue(), 8000), "scale", 1)));
        save(name, Base64.getDecoder().decode((String) shot.get("data")));
    }

    /** What is in view. */
    static void viewport(ChromeDriver browser, String name) throws IOException {
        Map<String, Object> shot = browser.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png"));
        save(name, Base64.getDecoder().decode((String) shot.get("data")));
    }

    private static void save(String name, byte[] png) throws IOException {
        Path dir = Path.of("target", "screenshots");
        Files.createDirectories(dir);
        Files.write(dir.resolve(name + ".png"), png);
    }
}
