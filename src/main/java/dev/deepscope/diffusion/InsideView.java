package dev.deepscope.diffusion;

import dev.deepscope.engine.clip.ClipModel;
import dev.deepscope.engine.clip.Vocabulary;
import dev.deepscope.engine.diffusion.UNetModel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a {@code step} event shows of the U-Net's inside, cut from the values its forward pass computed (see
 * {@link UNetModel#predictNoiseInside}), for the first image's conditional prediction ε_cond:
 * <ul>
 * <li>{@code features}: per level (encoder levels, the bottleneck, decoder levels, in the order the data flows),
 * {@value #CHANNELS} of its channels as arrays of side × side raw activations (row-major, two decimals) — the
 * channels whose values vary most across the image at the run's first inside step, kept for the whole run so
 * the player compares like with like;</li>
 * <li>{@code tokens}: the condition tokens the cross-attention reads ({@code <prompt>} is CLIP's pooled embedding of the
 * whole text, then {@code <start>} and the words, {@code <unk>} for a word CLIP does not know; padding left
 * out);</li>
 * <li>{@code attention}: per cross-attention, {@code weights[pixel][token]} — for each pixel (row-major over its
 * side × side grid) its softmax weights over those tokens (three decimals), which sum to 1.</li>
 * </ul>
 */
record InsideView(List<Level> features, List<String> tokens, List<Attention> attention) {

    /** Channels shown per level. */
    static final int CHANNELS = 3;

    /** A level's chosen channels: {@code maps[i]} is channel {@code channels[i]}, side × side values. */
    record Level(String level, String part, int side, int width, int[] channels, List<float[]> maps) {
    }

    /** A cross-attention at a level: each pixel's weights over the tokens. */
    record Attention(String level, String part, int side, float[][] weights) {
    }

    /** Makes the views of one run, keeping the channels chosen at its first inside step. */
    static final class Maker {

        private final Map<String, int[]> chosen = new HashMap<>();

        /**
         * The view of {@code inside}, computed with the condition {@code text} whose CLIP encoding is {@code encoding}
         * (its mask says which of the 13 condition tokens are real).
         */
        InsideView view(UNetModel.Inside inside, String text, ClipModel.TextEncoding encoding) {
            List<String> tokens = new ArrayList<>();
            List<Integer> positions = new ArrayList<>();
            int[] ids = Vocabulary.encode(text);
            float[] mask = encoding.conditionMask();
            for (int p = 0; p < mask.length; p++) {
                if (mask[p] > 0) {
                    positions.add(p);
                    tokens.add(p == 0 ? "<prompt>" : Vocabulary.token(ids[p - 1]));
                }
            }
            List<Level> levels = new ArrayList<>();
            for (UNetModel.FeatureMap map : inside.features()) {
                int[] channels = chosen.computeIfAbsent(map.level(), l -> mostVaried(map));
                List<float[]> maps = new ArrayList<>();
                int pixels = map.side() * map.side();
                for (int c : channels) {
                    float[] values = new float[pixels];
                    for (int p = 0; p < pixels; p++) {
                        values[p] = Math.round(map.values()[p * map.width() + c] * 100) / 100f;
                    }
                    maps.add(values);
                }
                levels.add(new Level(map.level(), map.part(), map.side(), map.width(), channels, maps));
            }
            List<Attention> attention = new ArrayList<>();
            for (UNetModel.AttentionMap map : inside.attention()) {
                int pixels = map.side() * map.side();
                int keys = map.weights().length / pixels;
                float[][] weights = new float[pixels][positions.size()];
                for (int p = 0; p < pixels; p++) {
                    for (int k = 0; k < positions.size(); k++) {
                        weights[p][k] = Math.round(map.weights()[p * keys + positions.get(k)] * 1000) / 1000f;
                    }
                }
                attention.add(new Attention(map.level(), map.part(), map.side(), weights));
            }
            return new InsideView(levels, List.copyOf(tokens), attention);
        }

        /** The {@value #CHANNELS} channels with the largest spread (standard deviation) over the image, by index. */
        private static int[] mostVaried(UNetModel.FeatureMap map) {
            int pixels = map.side() * map.side();
            double[] spread = new double[map.width()];
            for (int c = 0; c < map.width(); c++) {
                double sum = 0;
                double squares = 0;
                for (int p = 0; p < pixels; p++) {
                    double v = map.values()[p * map.width() + c];
                    sum += v;
                    squares += v * v;
                }
                double mean = sum / pixels;
                spread[c] = squares / pixels - mean * mean;
            }
            return java.util.stream.IntStream.range(0, map.width()).boxed()
                    .sorted((a, b) -> Double.compare(spread[b], spread[a])).limit(CHANNELS)
                    .mapToInt(Integer::intValue).sorted().toArray();
        }
    }
}
