package dev.deepscope.web;

import dev.deepscope.DeepScopeTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Every text input of every chapter refuses what is not text the store can keep — a lone UTF-16 surrogate or
 * a NUL — with a 400 naming the field, instead of a run that changes its prompt to "?" or can never be saved.
 */
@DeepScopeTest
class TextInputsTest {

    @Autowired
    WebTestClient http;

    @Test
    void loneSurrogatesAndNulAreRefusedNamingTheFieldEverywhere() {
        for (String bad : new String[] {"a\\ud800b", "a\\u0000b"}) {
            String[][] inputs = {
                {"/api/text/tokenize", "{\"text\":\"" + bad + "\"}", "text"},
                {"/api/text/score", "{\"text\":\"" + bad + "\"}", "text"},
                {"/api/runs", "{\"kind\":\"generate\",\"params\":{\"prompt\":\"" + bad + "\"}}", "params.prompt"},
                {"/api/runs", "{\"kind\":\"diffuse\",\"params\":{\"prompt\":\"" + bad + "\",\"steps\":2}}", "params.prompt"},
                {"/api/diffusion/sample", "{\"prompt\":\"" + bad + "\",\"steps\":2}", "prompt"},
                {"/api/clip/similarity", "{\"images\":[[" + "0,".repeat(783) + "0]],\"texts\":[\"ok\",\"" + bad + "\"]}",
                    "texts[1]"},
            };
            for (String[] input : inputs) {
                http.post().uri(input[0]).contentType(MediaType.APPLICATION_JSON).bodyValue(input[1]).exchange()
                        .expectStatus().isBadRequest()
                        .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                        .expectBody().jsonPath("$.field").isEqualTo(input[2]);
            }
        }
        http.get().uri("/api/clip/read?text={t}", "a\u0000b").exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.field").isEqualTo("text");
    }
}
