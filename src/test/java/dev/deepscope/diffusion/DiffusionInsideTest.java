package dev.deepscope.diffusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.deepscope.DeepScopeTest;
import dev.deepscope.engine.clip.ClipModel;
import dev.deepscope.engine.diffusion.UNetModel;
import dev.deepscope.runs.EventBudgets;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A diffuse run with {@code inside: true}: the U-Net's feature maps and cross-attention, within the event budget. */
@DeepScopeTest
class DiffusionInsideTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    WebTestClient http;

    @Autowired
    GenerationModels models;

    @Autowired
    EventBudgets budgets;

    /** Straight from the engine, unrounded: the fetched weights are a softmax per pixel, padding weighted 0. */
    @Test
    void eachPixelsCrossAttentionWeightsOverTheWordsSumToOne() {
        ClipModel.TextEncoding prompt = models.conditions().of("a handwritten seven");
        Random random = new Random(1);
        for (Space space : Space.values()) {
            UNetModel unet = models.unet(space);
            float[][] x = new float[2][unet.architecture().size()];
            for (float[] row : x) {
                Sampler.fillGaussian(row, random);
            }
            UNetModel.Batch batch = new UNetModel.Batch(x, new float[] {500, 500},
                    new float[][] {prompt.condition(), prompt.condition()},
                    new float[][] {prompt.conditionMask(), prompt.conditionMask()});
            UNetModel.Forward forward = unet.predictNoiseInside(batch, 1);
            assertThat(forward.noise()).as("the same ε as without looking inside").isDeepEqualTo(unet.predictNoise(batch));
            assertThat(forward.inside().attention()).isNotEmpty();
            for (UNetModel.AttentionMap map : forward.inside().attention()) {
                int pixels = map.side() * map.side();
                assertThat(map.weights()).hasSize(pixels * 13);
                for (int p = 0; p < pixels; p++) {
                    double sum = 0;
                    for (int k = 0; k < 13; k++) {
                        float w = map.weights()[p * 13 + k];
                        assertThat(w).isBetween(0f, 1f);
                        if (prompt.conditionMask()[k] == 0) {
                            assertThat(w).as("padding").isLessThan(1e-6f);
                        }
                        sum += w;
                    }
                    assertThat(sum).as(space + " " + map.level() + " pixel " + p).isCloseTo(1.0, within(1e-5));
                }
            }
            for (UNetModel.FeatureMap map : forward.inside().features()) {
                assertThat(map.values()).hasSize(map.side() * map.side() * map.width());
            }
        }
    }

    @Test
    void a50StepPixelRunWithInsideStaysWithinItsBudget() {
        JsonNode done = checkInsideRun("pixel", List.of("down0", "down1", "down2", "mid", "up2", "up1", "up0"),
                List.of("down1", "down2", "mid", "up2", "up1"));
        assertThat(done.path("image").size()).isEqualTo(784);
    }

    @Test
    void a50StepLatentRunWithInsideStaysWithinItsBudgetAndShowsTheLatent() {
        checkInsideRun("latent", List.of("down0", "down1", "mid", "up1", "up0"), List.of("down1", "mid", "up1"));
    }

    @Test
    void aRunWithoutInsideIsUnchanged() {
        Map<String, Object> params = new HashMap<>(Map.of("digit", 2, "steps", 8, "seed", 4, "guidance", 3));
        List<ServerSentEvent<String>> plain = run(params);
        params.put("inside", true);
        List<ServerSentEvent<String>> inside = run(params);
        assertThat(plain).extracting(ServerSentEvent::event).isEqualTo(inside.stream().map(ServerSentEvent::event).toList());
        for (int i = 0; i < plain.size(); i++) {
            JsonNode a = JSON.readTree(plain.get(i).data());
            JsonNode b = JSON.readTree(inside.get(i).data());
            if ("step".equals(plain.get(i).event())) {
                assertThat(a.has("inside")).isFalse();
                assertThat(a.has("latent")).as("a pixel run has no latent").isFalse();
                assertThat(b.has("inside")).isTrue();
                ((tools.jackson.databind.node.ObjectNode) b).remove("inside");
            }
            if ("done".equals(plain.get(i).event())) {
                ((tools.jackson.databind.node.ObjectNode) a).remove("seconds");
                ((tools.jackson.databind.node.ObjectNode) b).remove("seconds");
            }
            assertThat(b).as("event %d, looking inside changes nothing else", i).isEqualTo(a);
        }
    }

    private JsonNode checkInsideRun(String space, List<String> levels, List<String> attentionLevels) {
        // noise on too, and a long prompt: the largest a 50-step run with inside can be
        String prompt = "a big bold handwritten seven drawn neatly by hand with a thick pen";
        List<ServerSentEvent<String>> events = run(Map.of("prompt", prompt, "steps", 50, "guidance", 3, "space", space,
                "seed", 1, "noise", true, "inside", true));
        long bytes = events.stream().mapToLong(e -> e.data().getBytes(StandardCharsets.UTF_8).length).sum();
        EventBudgets.Budget budget = budgets.of("diffuse");
        System.out.printf("MEASURE | diffuse %s 50 steps + noise + inside | %d events | %,d bytes | budget %,d |%n",
                space, events.size(), bytes, budget.bytes().toBytes());
        assertThat(events.size()).isLessThanOrEqualTo((int) budget.events());
        assertThat(bytes).isLessThanOrEqualTo(budget.bytes().toBytes());
        JsonNode done = JSON.readTree(events.get(events.size() - 1).data());
        assertThat(events.get(events.size() - 1).event()).isEqualTo("done");
        assertThat(done.has("budget")).as("nothing held back").isFalse();

        List<Integer> insideSteps = new ArrayList<>();
        for (ServerSentEvent<String> e : events) {
            if (!"step".equals(e.event())) {
                continue;
            }
            JsonNode step = JSON.readTree(e.data());
            if (space.equals("latent")) {
                assertThat(step.path("latent").size()).as("7×7×4").isEqualTo(196);
            }
            JsonNode inside = step.path("inside");
            if (inside.isMissingNode()) {
                continue;
            }
            insideSteps.add(step.path("index").asInt());
            List<String> tokens = new ArrayList<>();
            inside.path("tokens").forEach(t -> tokens.add(t.asString()));
            assertThat(tokens).containsExactly("<prompt>", "<start>", "a", "big", "bold", "handwritten", "seven",
                    "<unk>", "neatly", "by", "hand", "<unk>", "a");
            List<String> seen = new ArrayList<>();
            for (JsonNode level : inside.path("features")) {
                seen.add(level.path("level").asString());
                int side = level.path("side").asInt();
                assertThat(level.path("channels").size()).isEqualTo(InsideView.CHANNELS);
                level.path("maps").forEach(m -> assertThat(m.size()).isEqualTo(side * side));
            }
            assertThat(seen).isEqualTo(levels);
            seen.clear();
            for (JsonNode attention : inside.path("attention")) {
                seen.add(attention.path("level").asString());
                int side = attention.path("side").asInt();
                assertThat(attention.path("weights").size()).isEqualTo(side * side);
                for (JsonNode pixel : attention.path("weights")) {
                    assertThat(pixel.size()).isEqualTo(tokens.size());
                    double sum = 0;
                    for (JsonNode w : pixel) {
                        sum += w.asDouble();
                    }
                    // three decimals each: at most 13 × 0.0005 off
                    assertThat(sum).isCloseTo(1.0, within(0.007));
                }
            }
            assertThat(seen).isEqualTo(attentionLevels);
        }
        assertThat(insideSteps).containsExactly(0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 49);
        return done;
    }

    private List<ServerSentEvent<String>> run(Map<String, Object> params) {
        String id = dev.deepscope.Browsers.startRun(http, "diffuse", params).path("id").asString();
        return dev.deepscope.Browsers.events(http, id, Duration.ofSeconds(120));
    }
}
