package dev.deepscope.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deepscope.DeepScopeTest;
import dev.deepscope.system.RandomIds;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The share link of a run that retention removed, as a person sees it on a laptop and on a phone. */
@DeepScopeTest
class ExpiredRunBrowserTest extends BrowserTest {

    @Autowired
    JdbcClient jdbc;

    @Test
    void anExpiredRunsLinkSaysInWordsThatItExpiredWhenAndWhy() throws Exception {
        // the tombstone the sweeper leaves when it removes a run past max-age
        String id = RandomIds.next();
        jdbc.sql("insert into expired_runs (id, expired_at, reason, last_used_at, shared) "
                + "values (?, now() - interval '2 days', 'age', now() - interval '32 days', false)").param(id).update();
        for (String screen : List.of("1366", "390")) {
            if (screen.equals("1366")) {
                Screens.laptop(browser);
            } else {
                Screens.phone(browser);
            }
            open("/r/" + id);
            assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("This run has expired");
            String text = browser.findElement(By.tagName("main")).getText();
            assertThat(text).contains("The run " + id + " expired on")
                    .contains("runs are kept 30 days after they were last opened")
                    .contains("Go to the knowledge map")
                    .doesNotContain("null").doesNotContain("undefined").doesNotContain("NaN").doesNotContain("\uFFFD");
            assertThat((List<?>) browser.executeScript(Screens.WIDER_THAN_SCREEN)).as("sticks out sideways").isEmpty();
            Screens.fullPage(browser, "expired-run-" + screen);
        }
        // the browser logs the page's own status (410) as a failed load; nothing else may fail
        assertThat(consoleErrors()).allMatch(e -> e.getMessage().contains("/r/" + id + " - Failed to load resource")
                && e.getMessage().contains("status of 410"), "is the page's own 410");
    }
}
