package dev.deepscope.text;

import dev.deepscope.engine.VectorMath;
import dev.deepscope.text.training.MobyDick;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The small GPT shipped in the repo: its size, its quality on held-out chapters, and how it writes. */
class ShippedTextModelTest {

    static TextModel model;

    @BeforeAll
    static void load() {
        model = new TextModel();   // checks every file against the manifest's sha256
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void hasTheRequiredShapeAndFitsInThirtyMegabytes() throws Exception {
        var config = model.config();
        assertThat(config.layers()).isGreaterThanOrEqualTo(4);
        assertThat(config.heads()).isGreaterThanOrEqualTo(4);
        assertThat(config.width()).isGreaterThanOrEqualTo(128);
        assertThat(config.context()).isGreaterThanOrEqualTo(128);
        assertThat(config.vocabulary()).isBetween(512, 4096).isEqualTo(model.tokenizer().vocabularySize());
        assertThat(model.model().parameterCount()).isEqualTo(config.parameterCount());
        long bytes = 0;
        for (String file : List.of("checkpoint.index", "checkpoint.data-00000-of-00001", "tokenizer.json")) {
            bytes += Files.size(Path.of("src/main/resources/models/gpt", file));
        }
        assertThat(bytes).isLessThanOrEqualTo(30L * 1024 * 1024);
    }

    @Test
    void scoresTheHeldOutChaptersWithinTarget() {
        Surprisal.Scored heldOut = model.score(MobyDick.heldOut());
        assertThat(heldOut.bitsPerChar()).isLessThanOrEqualTo(2.15);
        assertThat(heldOut.bitsPerChar()).isCloseTo(model.manifest().path("metrics").path("heldOutBitsPerChar").asDouble(),
                org.assertj.core.data.Offset.offset(1e-3));
        // and far better than knowing nothing (log₂ V bits per token)
        assertThat(heldOut.bitsPerToken()).isLessThan(Surprisal.log2(model.config().vocabulary()) * 0.75);
    }

    @Test
    void theSameSeedWritesTheSameTextAndAnotherSeedAnother() throws Exception {
        var sampling = new Sampler.Settings(1.0, 0, 1.0);
        List<Integer> a = write("The whale", 40, sampling, 11);
        List<Integer> b = write("The whale", 40, sampling, 11);
        List<Integer> c = write("The whale", 40, sampling, 12);
        assertThat(a).hasSize(40).isEqualTo(b).isNotEqualTo(c);
    }

    @Test
    void textsWrittenTogetherInOneBatchEqualTextsWrittenAlone() throws Exception {
        String[] prompts = {"Call me Ishmael.", "The sea", "Queequeg", "Ahab stood upon the deck and"};
        Sampler.Settings[] settings = {new Sampler.Settings(0, 0, 1), new Sampler.Settings(0.9, 40, 0.95),
            new Sampler.Settings(1.3, 0, 0.8), new Sampler.Settings(0.7, 10, 1)};
        List<List<Integer>> alone = new ArrayList<>();
        for (int i = 0; i < prompts.length; i++) {
            alone.add(write(prompts[i], 30, settings[i], i));
        }
        DecodingLoop.Batching before = model.decoding().batching();
        List<DecodingLoop.Queued> streams = new ArrayList<>();
        for (int i = 0; i < prompts.length; i++) {
            streams.add(model.decoding().submit(request(prompts[i], 30, settings[i], i)));
        }
        for (int i = 0; i < prompts.length; i++) {
            assertThat(collect(streams.get(i))).as("text %d", i).isEqualTo(alone.get(i));
        }
        assertThat(model.decoding().batching().since(before).meanBatch()).as("decoded in batches").isGreaterThan(1);
    }

    @Test
    void sixteenTextsSubmittedTogetherAreDecodedInFullBatches() throws Exception {
        DecodingLoop.Batching before = model.decoding().batching();
        List<DecodingLoop.Queued> streams = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            streams.add(model.decoding().submit(request("The whale", 60, new Sampler.Settings(0.9, 40, 0.95), i)));
        }
        for (DecodingLoop.Queued stream : streams) {
            assertThat(collect(stream)).hasSize(60);
        }
        assertThat(model.decoding().batching().since(before).meanBatch()).as("mean batch of 16 texts")
                .isGreaterThanOrEqualTo(12);
    }

    @Test
    void writingPastTheContextGoesOnAfterCuttingTheText() throws Exception {
        int length = model.config().context() + 40;
        List<Integer> ids = write("It was the whale", length, new Sampler.Settings(0.8, 40, 0.95), 5);
        assertThat(ids).hasSize(length);
    }

    @Test
    void greedyDecodingPicksTheMostLikelyTokenEveryTime() throws Exception {
        DecodingLoop.Queued stream = model.decoding().submit(request("And the", 10, new Sampler.Settings(0, 0, 1), 0));
        int tokens = 0;
        for (DecodingLoop.Event e = stream.next(); e instanceof DecodingLoop.Token t; e = stream.next()) {
            assertThat(t.id()).isEqualTo(VectorMath.argMax(t.logits()));
            assertThat(t.inspection().attention().length).isEqualTo(model.config().layers());
            tokens++;
        }
        assertThat(tokens).as("tokens checked (the loop must not pass by being empty)").isEqualTo(10);
    }

    @Test
    void itsCachedLogitsEqualReadingTheWholeWindow() {
        int[] text = java.util.Arrays.copyOf(model.tokenizer().encode(MobyDick.heldOut()), model.config().context());
        float[][] full = model.model().logits(new int[][] {text})[0];
        var cache = new dev.deepscope.engine.text.KeyValueCache(model.config());
        for (int i = 0; i < text.length; i++) {
            float[] step = model.model().read(List.of(cache), new int[][] {{text[i]}}, false).get(0).logits()[0];
            for (int v = 0; v < step.length; v++) {
                assertThat(step[v]).isCloseTo(full[i][v], org.assertj.core.data.Offset.offset(2e-4f));
            }
        }
    }

    private static DecodingLoop.Request request(String prompt, int tokens, Sampler.Settings settings, long seed) {
        return new DecodingLoop.Request(model.tokenizer().encode(prompt), tokens, settings, seed, true);
    }

    private static List<Integer> write(String prompt, int tokens, Sampler.Settings settings, long seed) throws Exception {
        return collect(model.decoding().submit(request(prompt, tokens, settings, seed)));
    }

    private static List<Integer> collect(DecodingLoop.Queued stream) throws Exception {
        List<Integer> ids = new ArrayList<>();
        while (stream.next() instanceof DecodingLoop.Token t) {
            ids.add(t.id());
        }
        return ids;
    }
}
