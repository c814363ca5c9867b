package dev.deepscope.engine.diffusion;

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
import org.tensorflow.types.TFloat32;

/** The VAE with its own graph and session: fresh with Adam for training, or restored for serving. */
public final class VaeModel implements AutoCloseable {

    /** Numbers in one latent: 7 × 7 × 4 = 196. */
    public static final int LATENT_SIZE = VaeGraph.SIDE * VaeGraph.SIDE * VaeGraph.CHANNELS;

    private final Graph graph;
    private final VaeGraph net;
    private final Session session;
    private final Operand<TFloat32> loss;
    private final Op step;

    private VaeModel(long seed, Float learningRate) {
        graph = Devices.newGraph();
        net = new VaeGraph(graph, seed, learningRate != null);
        if (learningRate != null) {
            loss = net.loss();
            step = new Adam(graph, learningRate).minimize(loss);
        } else {
            loss = null;
            step = null;
        }
        session = new Session(graph, Devices.SESSION_CONFIG);
    }

    public static VaeModel forTraining(long seed, float learningRate) {
        VaeModel model = new VaeModel(seed, learningRate);
        model.session.initialize();
        return model;
    }

    public static VaeModel restore(Path checkpointDir) {
        VaeModel model = new VaeModel(0, null);
        Checkpoint.restore(model.session, checkpointDir);
        return model;
    }

    public long parameterCount() {
        return net.layers.parameterCount();
    }

    /** One step on the negative ELBO; noise (N, 196) is the reparameterisation ε. Returns the loss. */
    public float trainStep(float[][] pixels, float[][] noise) {
        try (TFloat32 x = FloatTensors.matrix(pixels);
             TFloat32 e = latentTensor(noise);
             Result r = session.runner().feed(net.pixels, x).feed(net.noise, e).addTarget(step).fetch(loss).run()) {
            return FloatTensors.scalar((TFloat32) r.get(0));
        }
    }

    /** μ(x) for each image, flattened to 196 numbers (7 × 7 × 4, channels last). */
    public float[][] encode(float[][] pixels) {
        try (TFloat32 x = FloatTensors.matrix(pixels);
             Result r = session.runner().feed(net.pixels, x).fetch(net.mean).run()) {
            return FloatTensors.rows(FloatTensors.toArray((TFloat32) r.get(0)), pixels.length, LATENT_SIZE);
        }
    }

    /** Images in 0..1 from latents (N, 196). */
    public float[][] decode(float[][] latents) {
        if (net.latent == null) {
            throw new IllegalStateException("a VAE built for training decodes only through reconstruct");
        }
        try (TFloat32 z = latentTensor(latents);
             Result r = session.runner().feed(net.latent, z).fetch(net.decoded).run()) {
            return FloatTensors.rows(FloatTensors.toArray((TFloat32) r.get(0)), latents.length, 28 * 28);
        }
    }

    /** decode(μ(x)): the image the VAE keeps of x. */
    public float[][] reconstruct(float[][] pixels) {
        if (net.latent != null) {
            return decode(encode(pixels));
        }
        try (TFloat32 x = FloatTensors.matrix(pixels);
             TFloat32 e = latentTensor(new float[pixels.length][LATENT_SIZE]);
             Result r = session.runner().feed(net.pixels, x).feed(net.noise, e).fetch(net.decoded).run()) {
            return FloatTensors.rows(FloatTensors.toArray((TFloat32) r.get(0)), pixels.length, 28 * 28);
        }
    }

    public void save(Path dir) {
        Checkpoint.save(session, dir);
    }

    private static TFloat32 latentTensor(float[][] latents) {
        float[] flat = new float[latents.length * LATENT_SIZE];
        for (int i = 0; i < latents.length; i++) {
            System.arraycopy(latents[i], 0, flat, i * LATENT_SIZE, LATENT_SIZE);
        }
        return TFloat32.tensorOf(Shape.of(latents.length, VaeGraph.SIDE, VaeGraph.SIDE, VaeGraph.CHANNELS),
                DataBuffers.of(flat, true, false));
    }

    @Override
    public void close() {
        session.close();
        graph.close();
    }
}
