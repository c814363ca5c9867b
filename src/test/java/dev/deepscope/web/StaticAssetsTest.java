package dev.deepscope.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deepscope.DeepScopeTest;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The front end's files are linked under fingerprinted URLs and cached for a year; requests that need no session
 * (files, the actuator) mint none, while a page still starts one.
 */
@DeepScopeTest
class StaticAssetsTest {

    /** A file's URL with the md5 of its content before the extension, as VersionResourceResolver writes it. */
    private static final Pattern FINGERPRINTED = Pattern.compile("(?:href|src)=\"(/[^\"]+-[0-9a-f]{32}\\.(?:css|js|svg))\"");

    @Autowired
    WebTestClient http;

    @Test
    void aPageLinksItsFilesFingerprintedAndTheyAreCachedForAYear() {
        EntityExchangeResult<String> page = http.get().uri("/digits").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult();
        String html = page.getResponseBody();
        assertThat(html).contains("/css/app-").doesNotContain("href=\"/css/app.css\"")
                .doesNotContain("src=\"/js/digits.js\"");
        assertThat(page.getResponseHeaders().getCacheControl()).as("a page is not cached").contains("no-store");

        Matcher links = FINGERPRINTED.matcher(html);
        int files = 0;
        // KaTeX's script is larger than the client's default 256 KB buffer
        WebTestClient files4mb = http.mutate().codecs(c -> c.defaultCodecs().maxInMemorySize(4 << 20)).build();
        while (links.find()) {
            EntityExchangeResult<byte[]> file = files4mb.get().uri(links.group(1)).exchange().expectStatus().isOk()
                    .expectBody().returnResult();
            assertThat(file.getResponseHeaders().getCacheControl()).as(links.group(1))
                    .isEqualTo("max-age=31536000, public, immutable");
            assertThat(file.getResponseBody()).as(links.group(1)).isNotEmpty();
            files++;
        }
        assertThat(files).as("the stylesheet and the scripts of /digits").isGreaterThanOrEqualTo(8);
    }

    @Test
    void aStylesheetsOwnLinksAreFingerprintedToo() {
        String html = http.get().uri("/").exchange().expectBody(String.class).returnResult().getResponseBody();
        Matcher katex = Pattern.compile("href=\"(/vendor/katex/katex\\.min-[0-9a-f]{32}\\.css)\"").matcher(html);
        assertThat(katex.find()).as("KaTeX's stylesheet is linked fingerprinted").isTrue();
        String css = http.get().uri(katex.group(1)).exchange().expectStatus().isOk().expectBody(String.class)
                .returnResult().getResponseBody();
        assertThat(css).containsPattern("url\\(/vendor/katex/fonts/KaTeX_Main-Regular-[0-9a-f]{32}\\.woff2\\)");
    }

    @Test
    void cookielessRequestsForFilesAndTheActuatorGetNoSession() {
        String html = http.get().uri("/").exchange().expectBody(String.class).returnResult().getResponseBody();
        Matcher stylesheet = Pattern.compile("href=\"(/css/app-[0-9a-f]{32}\\.css)\"").matcher(html);
        assertThat(stylesheet.find()).isTrue();
        for (String path : List.of(stylesheet.group(1), "/css/app.css", "/actuator/health/liveness")) {
            http.get().uri(path).exchange().expectStatus().isOk()
                    .expectHeader().doesNotExist(HttpHeaders.SET_COOKIE);
        }
        http.get().uri("/digits").exchange().expectStatus().isOk()
                .expectCookie().exists(BrowserSession.COOKIE);
    }

    @Test
    void aFingerprintedFileIsAnsweredFromMemoryWithTheSameBytesAndNosniff() {
        String html = http.get().uri("/").exchange().expectBody(String.class).returnResult().getResponseBody();
        Matcher stylesheet = Pattern.compile("href=\"(/css/app-[0-9a-f]{32}\\.css)\"").matcher(html);
        assertThat(stylesheet.find()).isTrue();
        EntityExchangeResult<byte[]> first = http.get().uri(stylesheet.group(1)).exchange().expectStatus().isOk()
                .expectBody().returnResult();
        EntityExchangeResult<byte[]> kept = http.get().uri(stylesheet.group(1)).exchange().expectStatus().isOk()
                .expectHeader().valueEquals("X-Content-Type-Options", "nosniff")
                .expectHeader().valueEquals(HttpHeaders.CACHE_CONTROL, "max-age=31536000, public, immutable")
                .expectHeader().contentType("text/css")
                .expectHeader().doesNotExist(HttpHeaders.SET_COOKIE)
                .expectBody().returnResult();
        assertThat(kept.getResponseBody()).isEqualTo(first.getResponseBody()).isNotEmpty();
        assertThat(kept.getResponseHeaders().getContentLength()).isEqualTo(first.getResponseBody().length);
        assertThat(first.getResponseHeaders().getFirst("X-Content-Type-Options")).isEqualTo("nosniff");

        String missing = "/css/app-" + "0".repeat(32) + ".css";
        http.get().uri(missing).exchange().expectStatus().isNotFound();
        http.get().uri(missing).exchange().expectStatus().isNotFound();
    }

    @Test
    void onlyAFingerprintedLastSegmentCounts() {
        assertThat(FingerprintedFiles.isFingerprinted("/css/app-0123456789abcdef0123456789abcdef.css")).isTrue();
        assertThat(FingerprintedFiles.isFingerprinted("/css/app.css")).isFalse();
        assertThat(FingerprintedFiles.isFingerprinted("/css/app-0123456789ABCDEF0123456789abcdef.css")).isFalse();
        assertThat(FingerprintedFiles.isFingerprinted("/0123456789abcdef0123456789abcdef.css")).isFalse();
        assertThat(FingerprintedFiles.isFingerprinted("/api/runs/x-0123456789abcdef0123456789abcdef.")).isFalse();
        assertThat(FingerprintedFiles.isFingerprinted("/a-0123456789abcdef0123456789abcdef.css/run")).isFalse();
    }
}
