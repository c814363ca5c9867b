package dev.deepscope.diffusion;

import dev.deepscope.diffusion.DigitProperties.Property;
import dev.deepscope.diffusion.training.PropertyEvaluation;
import dev.deepscope.engine.digits.DigitArchitecture;
import dev.deepscope.engine.digits.DigitNetwork;
import dev.deepscope.models.ShippedModel;
import java.util.List;
import tools.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Prompts that name a property get it, on the shipped checkpoints through the app's own sampling: "a thin d"
 * vs "a bold d" (and so on for size, slant and position) from the same noise differ in the measured property
 * in the asked direction, and the CNN still reads d. A small version of PropertyBenchmark (its first seed pair
 * of every digit: the same seeds, so the same images), ten pairs per property and space.
 */
class PropertyPromptsTest {

    private static GenerationModels models;
    private static Generation generation;
    private static DigitNetwork cnn;

    @BeforeAll
    static void load() {
        models = new GenerationModels();
        generation = new Generation(models);
        cnn = ShippedModel.load("cnn", s -> DigitNetwork.restore(DigitArchitecture.named("cnn").orElseThrow(), s.dir()));
    }

    @AfterAll
    static void close() {
        cnn.close();
        models.close();
    }

    @ParameterizedTest
    @EnumSource(Property.class)
    void latentSamplesDifferInTheAskedDirectionAndStayTheAskedDigit(Property property) {
        check(Space.LATENT, property);
    }

    @ParameterizedTest
    @EnumSource(Property.class)
    void pixelSamplesDifferInTheAskedDirectionAndStayTheAskedDigit(Property property) {
        check(Space.PIXEL, property);
    }

    private static void check(Space space, Property property) {
        PropertyEvaluation.Result r = PropertyEvaluation.measure(generation, cnn, space, property,
                List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), 1, 3000);
        String what = space + " " + PropertyEvaluation.prompt(property, 4, false) + " / "
                + PropertyEvaluation.prompt(property, 4, true) + ": " + r;
        // issue 14 asks ≥ 90 % of pairs in the asked direction: ten pairs estimate a rate only to about ±0.1, so
        // one pair may go astray here (PropertyBenchmark measures 50). How often the CNN reads the asked digit is
        // held to what PropertyBenchmark recorded in the manifest, with the same margin as the fidelity test
        assertThat(r.inDirection()).as(what).isGreaterThanOrEqualTo(r.pairs() - 1);
        assertThat(r.meanHigh()).as(what).isGreaterThan(r.meanLow());
        JsonNode recorded = models.manifests().get(models.unet(space).architecture().name()).path("propertyEvaluation")
                .path("byProperty").path(property.name().toLowerCase(java.util.Locale.ROOT));
        assertThat(recorded.isMissingNode()).as(what + " measured (run PropertyBenchmark --record)").isFalse();
        assertThat(recorded.path("inAskedDirection").asDouble()).as(what).isGreaterThanOrEqualTo(0.9);
        assertThat(r.readRate()).as(what).isGreaterThanOrEqualTo(recorded.path("readAsAsked").asDouble() - 0.15);
    }
}
