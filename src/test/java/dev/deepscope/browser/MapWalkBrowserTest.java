package dev.deepscope.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deepscope.DeepScopeTest;
import dev.deepscope.knowledge.Concept;
import dev.deepscope.knowledge.KnowledgeMap;
import dev.deepscope.knowledge.Panel;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The learner's walk from "neuron" to "classifier-free guidance": every card of the map opens its panel, and the
 * panel fills with the model's own numbers without the learner having to do anything first (a real test digit, a
 * generation, a short training run, started by the page when it is opened on that panel). Screenshots of every
 * panel, on a laptop and on a phone, under target/screenshots/walk-*.
 */
@DeepScopeTest
class MapWalkBrowserTest extends BrowserTest {

    /** For each panel a card links to: a script that is true once the panel shows the model's numbers. */
    static final Map<Panel, String> FILLED = Map.ofEntries(
            Map.entry(Panel.NETWORK, "return document.querySelectorAll('#network .net-neuron[data-activation]').length > 0"),
            Map.entry(Panel.NEURON_WEIGHTS, "return /bias b = /.test(document.getElementById('neuron-bias').textContent)"),
            Map.entry(Panel.NETWORK_LAYERS, "return document.getElementById('unit-cards').dataset.filled === 'true'"),
            Map.entry(Panel.ACTIVATIONS, "return Number(document.getElementById('act-plot').dataset.dots) > 0"),
            Map.entry(Panel.INTERVENTION, "return document.getElementById('inside').dataset.state === 'shown'"),
            Map.entry(Panel.TRAINING, "return Number(document.getElementById('cost-chart').dataset.points) > 1"),
            Map.entry(Panel.GD_VS_SGD, "return Number(document.getElementById('race-seconds').dataset.points) > 2"),
            Map.entry(Panel.COST_LANDSCAPE, "return !!document.querySelector('#landscape-panel canvas[data-resolution]')"),
            Map.entry(Panel.BACKPROPAGATION, "return document.getElementById('factors').dataset.ready === 'true'"),
            Map.entry(Panel.CHAIN_RULE_FACTORS, "return document.getElementById('factors').dataset.ready === 'true'"),
            Map.entry(Panel.TOKENIZERS, "return document.getElementById('ours').children.length > 0"),
            Map.entry(Panel.EMBEDDING_SPACE, "return document.getElementById('vec-neighbours').children.length > 0"
                    + " && document.getElementById('vec-arith').children.length > 0"),
            Map.entry(Panel.ATTENTION_INSIDE, "return document.querySelectorAll('#inside-attention-panel [data-key]').length > 0"),
            Map.entry(Panel.MLP_NEURONS, "return document.querySelectorAll('#neuron-contexts li').length > 0"
                    + " && document.querySelectorAll('#neuron-up li').length > 0"),
            Map.entry(Panel.RESIDUAL_STREAM, "return document.querySelectorAll('#residual-panel td[data-label]').length > 0"),
            Map.entry(Panel.TEMPERATURE, "const c = document.getElementById('softmax');"
                    + " return c.getContext('2d').getImageData(0, 0, c.width, c.height).data.some(v => v > 0)"),
            Map.entry(Panel.NEXT_TOKENS, "return document.getElementById('alternatives').children.length > 0"),
            Map.entry(Panel.FORWARD_PROCESS, "return document.getElementById('forward-xt-caption').textContent.includes('ᾱ')"),
            Map.entry(Panel.UNET_INSIDE, "return document.getElementById('reverse-frames').dataset.done === 'true'"
                    + " && document.querySelectorAll('#inside-features canvas').length > 0"),
            Map.entry(Panel.CROSS_ATTENTION, "return document.getElementById('reverse-frames').dataset.done === 'true'"
                    + " && document.querySelectorAll('#attention-maps canvas').length > 0"),
            Map.entry(Panel.LATENT_STEPS, "return document.getElementById('latent-frames').dataset.shown === 'true'"
                    + " && document.getElementById('vae-frames').dataset.shown === 'true'"),
            Map.entry(Panel.GUIDANCE, "return document.getElementById('guidance-grid').children.length > 0"
                    + " && !document.getElementById('guidance-grid-start').disabled"),
            Map.entry(Panel.CLIP, "return document.getElementById('clip-dot').dataset.shown === 'true'"));

    @Test
    void onALaptopEveryCardOpensAFilledView() throws Exception {
        Screens.laptop(browser);
        walk("1366");
    }

    @Test
    void onAPhoneEveryCardOpensAFilledView() throws Exception {
        Screens.phone(browser);
        walk("390");
    }

    /** Card by card as a learner goes: the map, the card's "Try it live", the panel filled with the model's numbers. */
    private void walk(String screen) throws Exception {
        assertThat(KnowledgeMap.CONCEPTS).allSatisfy(c -> assertThat(FILLED).as("what fills " + c.experiment())
                .containsKey(c.panel()));
        for (Concept concept : KnowledgeMap.CONCEPTS) {
            String filled = FILLED.get(concept.panel());
            long start = System.nanoTime();
            followCard(concept.id());
            new WebDriverWait(browser, Duration.ofSeconds(120))
                    .withMessage(() -> concept.experiment() + " is filled; it shows: " + browser.executeScript(
                            "return document.getElementById(arguments[0]).innerText", concept.panel().id()))
                    .until(d -> Boolean.TRUE.equals(browser.executeScript(filled)));
            browser.executeScript("document.getElementById(arguments[0]).scrollIntoView({block: 'start'})",
                    concept.panel().id());
            assertThat(((Number) browser.executeScript("return document.documentElement.scrollWidth")).intValue())
                    .as(concept.experiment() + " scrolls sideways").isLessThanOrEqualTo(Integer.parseInt(screen));
            String text = (String) browser.executeScript(
                    "return document.getElementById(arguments[0]).innerText", concept.panel().id());
            assertThat(text).as(concept.experiment()).doesNotContain("null", "undefined", "NaN", "\uFFFD");
            System.out.printf("MEASURE walk %s %s filled after %.1f s%n", screen, concept.experiment(),
                    (System.nanoTime() - start) / 1e9);
            Screens.viewport(browser, "walk-" + screen + "-" + concept.id());
        }
        // a training the page starts for the learner may meet a 429 while an earlier run holds the training slots:
        // the page says so and tries again after Retry-After (Chromium still logs the refused request)
        assertThat(consoleErrors()).filteredOn(e -> !e.getMessage().contains("status of 429")).isEmpty();
    }
}
