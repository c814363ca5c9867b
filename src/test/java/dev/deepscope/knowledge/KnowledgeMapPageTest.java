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
        String html = http.get().uri("/").exchange()
                .expectStatus().isOk()
                .expectHeader().valueMatches("Content-Security-Policy", ".*script-src 'self';.*")
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(KnowledgeMap.CONCEPTS).hasSize(23);
        for (Concept concept : KnowledgeMap.CONCEPTS) {
            assertThat(html).contains("id=\"" + concept.id() + "\"");
            concept.usedIn().forEach(u -> assertThat(KnowledgeMap.concept(u)).as(concept.id() + " uses " + u).isPresent());
        }
        assertThat(html.split("<article").length - 1).isEqualTo(23);
        assertThat(html.split("data-tex=").length - 1).isEqualTo(23);
        assertThat(html).contains("href=\"/digits\"").contains("href=\"/learning\"").contains("href=\"/text\"")
                .contains("href=\"/diffusion\"").doesNotContain("Live experiment coming");
        assertThat(html).doesNotContain("<script>").doesNotContain("http://").doesNotContain("https://");
    }

    @Test
    void theDigitsPageAndItsModelFragment() {
        http.get().uri("/digits").exchange().expectStatus().isOk()
                .expectBody(String.class).value(html -> assertThat(html)
                        .contains("id=\"pad\"").contains("/js/digits.js").contains("cnn"));
        http.get().uri("/digits/model?model=cnn").header("HX-Request", "true").exchange().expectStatus().isOk()
                .expectBody(String.class).value(html -> assertThat(html)
                        .startsWith("<div id=\"model-info\"").contains("cnn").doesNotContain("<html"));
        http.get().uri("/vendor/htmx/htmx.min.js").exchange().expectStatus().isOk();
        http.get().uri("/vendor/katex/katex.min.js").exchange().expectStatus().isOk();
    }
}
