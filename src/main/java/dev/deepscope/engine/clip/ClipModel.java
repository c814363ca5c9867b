package dev.deepscope.engine.clip;

import dev.deepscope.engine.Checkpoint;
import dev.deepscope.engine.Devices;
import dev.deepscope.engine.FloatTensors;
import java.nio.file.Path;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.framework.optimizers.Adam;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The tiny CLIP with its own graph and session: restored for serving, or fresh with Adam for training.
 * Its text side also supplies the U-Nets' condition: the prompt's unit embedding followed by the
 * per-token states, as a sequence the U-Nets' cross-attention reads.
 */
public final class ClipModel implements AutoCloseable {

    public static final int WIDTH = ClipGraph.WIDTH;
    /** Condition sequence length: the pooled embedding, then one state per token. */
    public static final int CONDITION_LENGTH = Vocabulary.CONTEXT + 1;

    /** A text's unit embedding (64) and its condition for the U-Nets: (13, 64) values and a (13) mask. */
    public record TextEncoding(float[] embedding, float[] condition, float[] conditionMask) {
    }

    private final Graph graph;
    private final ClipGraph net;
    private final Session session;
    private final Placeholder<TFloat32> imageTargets;   // (N images, N texts) the texts that fit each image, rows sum to 1
    private final Placeholder<TFloat32> textTargets;    // (N texts, N images) the images each text fits, rows sum to 1
    private final Operand<TFloat32> loss;
    private final Op step;

    private ClipModel(long seed, Float learningRate) {
        graph = Devices.newGraph();
        net = new ClipGraph(graph, seed);
        Ops tf = net.layers.tf();
        if (learningRate != null) {
            imageTargets = tf.withName("targets").placeholder(TFloat32.class);
            textTargets = tf.withName("text_targets").placeholder(TFloat32.class);
            Operand<TFloat32> logits = net.pairLogits();
            // InfoNCE both ways: cross-entropy image→text and text→image, each against the pairs that fit
            Operand<TFloat32> imageToText = tf.math.mean(
                    tf.nn.softmaxCrossEntropyWithLogits(logits, imageTargets).loss(), tf.constant(0));
            Operand<TFloat32> textToImage = tf.math.mean(tf.nn.softmaxCrossEntropyWithLogits(
                    tf.linalg.transpose(logits, tf.constant(new int[] {1, 0})), textTargets).loss(), tf.constant(0));
            loss = tf.math.mul(tf.math.add(imageToText, textToImage), tf.constant(0.5f));
            step = new Adam(graph, learningRate).minimize(loss);
        } else {
            imageTargets = null;
            textTargets = null;
            loss = null;
            step = null;
        }
        session = new Session(graph, Devices.SESSION_CONFIG);
    }

    public static ClipModel forTraining(long seed, float learningRate) {
        ClipModel model = new ClipModel(seed, learningRate);
        model.session.initialize();
        return model;
    }

    public static ClipModel restore(Path checkpointDir) {
        ClipModel model = new ClipModel(0, null);
        Checkpoint.restore(model.session, checkpointDir);
        return model;
    }

    public long parameterCount() {
        return net.layers.parameterCount();
    }

    /**
     * One contrastive step on (image, caption) pairs; returns the loss before the step.
     *
     * @param fits fits[i][j] = caption j fits image i (the diagonal always does); each image's targets spread
     *             evenly over the captions that fit it, each caption's over the images it fits
     */
    public float trainStep(float[][] pixels, int[][] tokens, boolean[][] fits) {
        int n = fits.length;
        float[][] byImage = new float[n][n];
        float[][] byText = new float[n][n];
        for (int i = 0; i < n; i++) {
            int rowCount = 0;
            int columnCount = 0;
            for (int j = 0; j < n; j++) {
                rowCount += fits[i][j] ? 1 : 0;
                columnCount += fits[j][i] ? 1 : 0;
            }
            for (int j = 0; j < n; j++) {
                byImage[i][j] = fits[i][j] ? 1f / rowCount : 0f;
                byText[i][j] = fits[j][i] ? 1f / columnCount : 0f;
            }
        }
        try (TFloat32 x = FloatTensors.matrix(pixels);
             TInt32 t = tokenTensor(tokens);
             TFloat32 y = FloatTensors.matrix(byImage);
             TFloat32 z = FloatTensors.matrix(byText);
             Result r = session.runner().feed(net.pixels, x).feed(net.tokens, t).feed(imageTargets, y)
                     .feed(textTargets, z)
                     .addTarget(step).fetch(loss).run()) {
            return FloatTensors.scalar((TFloat32) r.get(0));
        }
    }

    /** Unit image embeddings (N, 64). */
    public float[][] embedImages(float[][] pixels) {
        try (TFloat32 x = FloatTensors.matrix(pixels);
             Result r = session.runner().feed(net.pixels, x).fetch(net.imageEmbedding).run()) {
            return FloatTensors.rows(FloatTensors.toArray((TFloat32) r.get(0)), pixels.length, WIDTH);
        }
    }

    /** Each text's unit embedding and its condition sequence for the U-Nets. */
    public TextEncoding[] encodeTexts(String[] texts) {
        int[][] tokens = new int[texts.length][];
        for (int i = 0; i < texts.length; i++) {
            tokens[i] = Vocabulary.encode(texts[i]);
        }
        try (TInt32 t = tokenTensor(tokens);
             Result r = session.runner().feed(net.tokens, t)
                     .fetch(net.textEmbedding).fetch(net.tokenStates).fetch(net.tokenMask).run()) {
            float[][] embeddings = FloatTensors.rows(FloatTensors.toArray((TFloat32) r.get(0)), texts.length, WIDTH);
            float[][] states = FloatTensors.rows(FloatTensors.toArray((TFloat32) r.get(1)), texts.length, Vocabulary.CONTEXT * WIDTH);
            float[][] masks = FloatTensors.rows(FloatTensors.toArray((TFloat32) r.get(2)), texts.length, Vocabulary.CONTEXT);
            TextEncoding[] out = new TextEncoding[texts.length];
            float scale = (float) Math.sqrt(WIDTH); // a unit vector scaled to the size of a layer-normed state
            for (int i = 0; i < texts.length; i++) {
                float[] condition = new float[CONDITION_LENGTH * WIDTH];
                for (int c = 0; c < WIDTH; c++) {
                    condition[c] = embeddings[i][c] * scale;
                }
                System.arraycopy(states[i], 0, condition, WIDTH, states[i].length);
                float[] mask = new float[CONDITION_LENGTH];
                mask[0] = 1;
                System.arraycopy(masks[i], 0, mask, 1, Vocabulary.CONTEXT);
                out[i] = new TextEncoding(embeddings[i], condition, mask);
            }
            return out;
        }
    }

    public void save(Path dir) {
        Checkpoint.save(session, dir);
    }

    private static TInt32 tokenTensor(int[][] tokens) {
        int[] flat = new int[tokens.length * Vocabulary.CONTEXT];
        for (int i = 0; i < tokens.length; i++) {
            System.arraycopy(tokens[i], 0, flat, i * Vocabulary.CONTEXT, Vocabulary.CONTEXT);
        }
        return TInt32.tensorOf(Shape.of(tokens.length, Vocabulary.CONTEXT), DataBuffers.of(flat, true, false));
    }

    @Override
    public void close() {
        session.close();
        graph.close();
    }
}
