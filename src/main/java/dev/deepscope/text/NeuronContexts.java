package dev.deepscope.text;

import dev.deepscope.models.ModelManifest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * For every neuron of every MLP block, the tokens of the training text that fired it most: their positions in the
 * text's tokens, the first token of the window the model read them in, and the activation a_i it computed there,
 * best first, and the text's tokens to show them in. Filled by {@link #offer} while a command reads the corpus
 * ({@code text.training.IndexNeuronContexts}), saved in {@code models/gpt/neurons/} and read back by the app.
 *
 * <p>Arrays are [layer][neuron][rank]; a rank not yet filled has position −1.
 */
public final class NeuronContexts {

    /** The shipped file's folder on the class path, with its {@code manifest.json}. */
    public static final String RESOURCE_DIR = "models/gpt/neurons";
    public static final String FILE = "contexts.json";
    /** The training text's tokens, each a little-endian unsigned 16-bit id, so windows need no tokenizing at start. */
    public static final String TOKENS = "tokens.u16";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The file's content: how many tokens were read (the first ones), how many kept; [layer][neuron][rank] each. */
    record Stored(int read, int top, int[][][] positions, int[][][] starts, float[][][] activations) {
    }

    private final Stored stored;
    private final int[] tokens;

    private NeuronContexts(Stored stored, int[] tokens) {
        this.stored = stored;
        this.tokens = tokens;
    }

    /**
     * Empty: {@code layers} × {@code neurons} neurons, room for the best {@code top} contexts of each, over the text
     * whose token ids (each 0..65535) are {@code tokens}, of which the first {@code read} are offered.
     */
    public static NeuronContexts empty(int layers, int neurons, int top, int[] tokens, int read) {
        int[][][] positions = new int[layers][neurons][top];
        float[][][] activations = new float[layers][neurons][top];
        for (int l = 0; l < layers; l++) {
            for (int i = 0; i < neurons; i++) {
                Arrays.fill(positions[l][i], -1);
                Arrays.fill(activations[l][i], Float.NEGATIVE_INFINITY);
            }
        }
        return new NeuronContexts(new Stored(read, top, positions, new int[layers][neurons][top], activations), tokens.clone());
    }

    /**
     * Offers the activations of one token to every neuron of one block: {@code activations[from + i]} is neuron i's
     * at the token at {@code position}, read in the window starting at token {@code start}. Each neuron keeps it if
     * it beats its weakest kept context (ties keep the earlier token).
     */
    public void offer(int layer, float[] activations, int from, int position, int start) {
        int[][] positions = stored.positions[layer];
        float[][] best = stored.activations[layer];
        int top = stored.top;
        for (int i = 0; i < positions.length; i++) {
            float a = activations[from + i];
            float[] kept = best[i];
            if (!(a > kept[top - 1])) {
                continue;
            }
            int rank = top - 1;
            while (rank > 0 && a > kept[rank - 1]) {                  // insertion into a short sorted list
                kept[rank] = kept[rank - 1];
                positions[i][rank] = positions[i][rank - 1];
                stored.starts[layer][i][rank] = stored.starts[layer][i][rank - 1];
                rank--;
            }
            kept[rank] = a;
            positions[i][rank] = position;
            stored.starts[layer][i][rank] = start;
        }
    }

    public int layers() {
        return stored.positions.length;
    }

    public int neurons() {
        return stored.positions[0].length;
    }

    public int top() {
        return stored.top;
    }

    /** The token's position in the corpus's tokens; −1 if fewer tokens than {@code rank} + 1 were offered. */
    public int position(int layer, int neuron, int rank) {
        return stored.positions[layer][neuron][rank];
    }

    /** The first token of the window the model read the token in (the token sees tokens start..position). */
    public int start(int layer, int neuron, int rank) {
        return stored.starts[layer][neuron][rank];
    }

    public float activation(int layer, int neuron, int rank) {
        return stored.activations[layer][neuron][rank];
    }

    /** The text's token ids from {@code from} up to {@code to} (exclusive), clipped to the text. */
    public int[] tokens(int from, int to) {
        return Arrays.copyOfRange(tokens, Math.max(0, from), Math.min(tokens.length, Math.max(from, to)));
    }

    /** How many of the text's tokens were read, from the first: all of them unless a sample. */
    public int read() {
        return stored.read;
    }

    /** The text's length in tokens. */
    public int length() {
        return tokens.length;
    }

    /** Writes {@code contexts.json} and {@code tokens.u16} into {@code dir}. */
    public void save(Path dir) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("read", stored.read);
        out.put("top", stored.top);
        out.put("positions", stored.positions);
        out.put("starts", stored.starts);
        out.put("activations", stored.activations);
        JSON.writeValue(dir.resolve(FILE).toFile(), out);
        ByteBuffer ids = ByteBuffer.allocate(2 * tokens.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int id : tokens) {
            ids.putShort((short) id);
        }
        Files.write(dir.resolve(TOKENS), ids.array());
    }

    /**
     * The shipped files of {@code models/gpt/neurons/}, each checked against the sha256 its manifest records, and
     * the manifest's record of the checkpoint and tokenizer they were computed from against {@code checkpoint} (the
     * served model's sums): contexts of other weights would show activations this model does not compute.
     *
     * @throws IllegalStateException if a file or the manifest is missing or a check fails
     */
    public static NeuronContexts shipped(JsonNode checkpoint) {
        JsonNode manifest = ModelManifest.read(RESOURCE_DIR);
        if (!manifest.path("checkpoint").equals(checkpoint)) {
            throw new IllegalStateException(RESOURCE_DIR + " was computed from other weights than the served model's:"
                    + " run IndexNeuronContexts again");
        }
        Stored stored = JSON.readValue(resource(manifest, FILE), Stored.class);
        ByteBuffer ids = ByteBuffer.wrap(resource(manifest, TOKENS)).order(ByteOrder.LITTLE_ENDIAN);
        int[] tokens = new int[ids.remaining() / 2];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = Short.toUnsignedInt(ids.getShort());
        }
        return new NeuronContexts(stored, tokens);
    }

    private static byte[] resource(JsonNode manifest, String file) {
        String resource = RESOURCE_DIR + "/" + file;
        try (InputStream in = NeuronContexts.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no " + resource + ": run IndexNeuronContexts (see README)");
            }
            byte[] bytes = in.readAllBytes();
            if (!ModelManifest.sha256(bytes).equals(manifest.path("sha256").path(file).asString())) {
                throw new IllegalStateException(resource + " does not match its manifest");
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
