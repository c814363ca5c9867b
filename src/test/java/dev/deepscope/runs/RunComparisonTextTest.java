package dev.deepscope.runs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The compare table shows long params summed up, and the page's scripts get the small ones only. */
class RunComparisonTextTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void shortValuesAreShownWholeAndLongOnesSummedUp() {
        assertThat(RunComparison.text(JSON.valueToTree(0.5))).isEqualTo("0.5");
        assertThat(RunComparison.text(JSON.valueToTree("relu"))).isEqualTo("relu");
        assertThat(RunComparison.text(null)).isEqualTo("—");

        String pasted = "Call me Ishmael. ".repeat(600);   // 10,200 characters
        String shown = RunComparison.text(JSON.valueToTree(pasted));
        assertThat(shown).startsWith("Call me Ishmael.").endsWith("… (10200 characters)").hasSizeLessThan(130);

        // a drawn data set: 60 drawings of 784 pixels in 2 classes
        List<Map<String, Object>> examples = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            examples.add(Map.of("label", i % 2, "pixels", new double[784]));
        }
        JsonNode dataset = JSON.valueToTree(Map.of("classes", List.of("ring", "cross"), "examples", examples));
        assertThat(RunComparison.text(dataset)).contains("classes: [\"ring\",\"cross\"]").contains("examples: 60 items")
                .hasSizeLessThan(80);
    }

    @Test
    void thePageGetsTheSmallParamsOnly() {
        JsonNode params = JSON.valueToTree(Map.of("steps", 300, "dataset", Map.of("examples",
                java.util.Collections.nCopies(10, new double[784]))));
        JsonNode forPage = RunComparison.forPage(params);
        assertThat(forPage.path("steps").asInt()).isEqualTo(300);
        assertThat(forPage.path("dataset").asString()).isEqualTo("examples: 10 items");
    }
}
