package dev.deepscope.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deepscope.DeepScopeTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;

@DeepScopeTest
class KnowledgeMapPageTest {

    @Autowired
    WebTestClient http;

    @Test
    void everyConceptOfTheSeriesHasACardWithItsFormula() {
        String html = page("/");
        assertThat(KnowledgeMap.CONCEPTS).hasSize(24);
        for (Concept concept : KnowledgeMap.CONCEPTS) {
            assertThat(html).contains("id=\"" + concept.id() + "\"");
            concept.usedIn().forEach(u -> assertThat(KnowledgeMap.concept(u)).as(concept.id() + " uses " + u).isPresent());
        }
        assertThat(html.split("<article").length - 1).isEqualTo(24);
        assertThat(html.split("data-tex=").length - 1).isEqualTo(24);
        assertThat(html).doesNotContain("<script>").doesNotContain("http://").doesNotContain("https://");
    }

    @Test
    void usedInLinksNameTheCardsTheyPointTo() {
        String html = page("/");
        assertThat(html).doesNotContainIgnoringCase("null");
        for (Concept concept : KnowledgeMap.CONCEPTS) {
            for (String used : concept.usedIn()) {
                String title = KnowledgeMap.concept(used).orElseThrow().title().replace("&", "&amp;");
                assertThat(html).as(concept.id() + " → " + used)
                        .contains("<a href=\"#" + used + "\">" + title + "</a>");
            }
        }
    }

    @Test
    void tryItLiveDeepLinksToAPanelThatExistsOnItsPage() {
        String map = page("/");
        for (Concept concept : KnowledgeMap.CONCEPTS) {
            assertThat(map).contains("href=\"" + concept.panel().page() + "#" + concept.panel().id() + "\"");
        }
        for (Panel panel : Panel.values()) {
            assertThat(page(panel.page())).as(panel.href())
                    .containsOnlyOnce("id=\"" + panel.id() + "\"");
        }
    }

    @Test
    void theMapShowsTheSeriesOrderAsAPathWithTheVideosEachChapterFollows() {
        String html = page("/");
        int previous = -1;
        for (Chapter chapter : Chapter.values()) {
            int at = html.indexOf("id=\"" + chapter.anchor() + "\"");
            assertThat(at).as(chapter + " comes after the chapter before it").isGreaterThan(previous);
            previous = at;
            assertThat(html).contains("href=\"#" + chapter.anchor() + "\"")
                    .contains("follows 3Blue1Brown’s " + chapter.videos());
        }
        assertThat(Chapter.values()).extracting(Chapter::videos).containsExactly("DL1", "DL2–4", "DL5–7", "DL8");
    }

    private String page(String path) {
        return http.get().uri(path).exchange()
                .expectStatus().isOk()
                .expectHeader().valueMatches("Content-Security-Policy", ".*script-src 'self';.*")
                .expectBody(String.class).returnResult().getResponseBody();
    }

    @Test
    void theDigitsPageAndItsModelFragment() {
        http.get().uri("/digits").exchange().expectStatus().isOk()
                .expectBody(String.class).value(html -> assertThat(html)
                        .contains("id=\"pad\"").containsPattern("/js/digits-[0-9a-f]{32}\\.js").contains("cnn"));
        http.get().uri("/digits/model?model=cnn").header("HX-Request", "true").exchange().expectStatus().isOk()
                .expectBody(String.class).value(html -> assertThat(html)
                        .startsWith("<div id=\"model-info\"").contains("cnn").doesNotContain("<html"));
        http.get().uri("/vendor/htmx/htmx.min.js").exchange().expectStatus().isOk();
        http.get().uri("/vendor/katex/katex.min.js").exchange().expectStatus().isOk();
    }
}
