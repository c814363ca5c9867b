package dev.deepscope.learning;

import dev.deepscope.engine.VectorMath;
import dev.deepscope.engine.learning.GradientProbe;
import dev.deepscope.engine.learning.LandscapeProbe;
import dev.deepscope.engine.learning.MlpParameters;
import dev.deepscope.engine.learning.MlpShape;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The hills and valleys around a trained network: C(θ + αδ + βη) on a grid of (α, β), where δ and η are
 * random directions, filter-normalised as in Li et al., "Visualizing the Loss Landscape of Neural Nets"
 * (2018): each neuron's slice of a direction is scaled to the norm of that neuron's incoming weights, so
 * α = 1 means "as far again as this neuron's weights", whatever the layer. Bias directions are zero.
 * The training path is projected onto the plane by least squares.
 */
final class CostLandscape {

    /** A path point's coordinates on the plane, and C at the real θ there (not on the plane). */
    record PathPoint(int step, double alpha, double beta, double cost) {
    }

    /**
     * {@code grid[i][j]} = C at (α_j, β_i); the centre is θ itself. {@code cost} = C(θ) computed in float64
     * by the backprop graph, a separate check on the grid's centre.
     */
    record Landscape(String model, String network, int resolution, long seed, double cost, double range,
                     double[] alphas, double[] betas, double[][] grid, List<PathPoint> path, int digits) {
    }

    private CostLandscape() {
    }

    static Landscape compute(TrainedNetworks.Trained trained, int resolution, long seed, DigitData data) {
        MlpParameters theta = trained.current();
        MlpShape shape = trained.shape();
        Random random = new Random(seed);
        MlpParameters delta = filterNormalised(theta, random);
        MlpParameters eta = filterNormalised(theta, random);

        double[] centre = theta.flatten();
        double[] d = delta.flatten();
        double[] e = eta.flatten();
        List<PathPoint> path = new ArrayList<>();
        double reach = 0;
        for (TrainedNetworks.PathPoint p : trained.path()) {
            double[] ab = project(minus(p.theta().flatten(), centre), d, e);
            path.add(new PathPoint(p.step(), ab[0], ab[1], p.cost()));
            reach = Math.max(reach, Math.max(Math.abs(ab[0]), Math.abs(ab[1])));
        }
        double range = Math.max(1, 1.15 * reach);   // the whole path fits, and at least [−1, 1]²

        double[] steps = new double[resolution];
        float[] alphas = new float[resolution];
        for (int j = 0; j < resolution; j++) {
            steps[j] = resolution == 1 ? 0 : -range + 2 * range * j / (resolution - 1);
            alphas[j] = (float) steps[j];
        }
        steps[(resolution - 1) / 2] = 0;   // exactly θ at the centre, whatever rounding says
        alphas[(resolution - 1) / 2] = 0;
        double[][] grid = new double[resolution][];
        try (LandscapeProbe probe = new LandscapeProbe(shape)) {
            for (int i = 0; i < resolution; i++) {       // one call per row of the grid: β fixed, every α
                float[] betas = new float[resolution];
                java.util.Arrays.fill(betas, alphas[i]);
                float[] row = probe.costs(theta, delta, eta, alphas, betas, data.landscapeSample());
                grid[i] = new double[resolution];
                for (int j = 0; j < resolution; j++) {
                    grid[i][j] = row[j];
                }
            }
        }
        double cost;
        try (GradientProbe probe = new GradientProbe(shape)) {
            cost = probe.cost(theta, null, data.landscapeSample());
        }
        return new Landscape(trained.runId(), shape.describe(), resolution, seed, cost, range, steps, steps.clone(),
                grid, path, data.landscapeSample().size());
    }

    /** d ~ N(0, 1) like θ, then each neuron's incoming slice rescaled: d_j ← d_j · ‖θ_j‖ / ‖d_j‖. */
    static MlpParameters filterNormalised(MlpParameters theta, Random random) {
        int[] widths = theta.shape().widths();
        float[][] w = new float[widths.length - 1][];
        float[][] b = new float[widths.length - 1][];
        for (int l = 0; l < w.length; l++) {
            int in = widths[l];
            int out = widths[l + 1];
            w[l] = new float[in * out];
            for (int i = 0; i < w[l].length; i++) {
                w[l][i] = (float) random.nextGaussian();
            }
            for (int j = 0; j < out; j++) {
                double thetaNorm = 0;
                double dNorm = 0;
                for (int k = 0; k < in; k++) {
                    thetaNorm += sq(theta.weights()[l][k * out + j]);
                    dNorm += sq(w[l][k * out + j]);
                }
                double scale = Math.sqrt(thetaNorm) / Math.max(1e-12, Math.sqrt(dNorm));
                for (int k = 0; k < in; k++) {
                    w[l][k * out + j] *= (float) scale;
                }
            }
            b[l] = new float[out];
        }
        return new MlpParameters(theta.shape(), w, b);
    }

    /** (α, β) minimising ‖v − αd − βe‖: the normal equations [d·d d·e; d·e e·e][α β]ᵀ = [d·v e·v]ᵀ. */
    static double[] project(double[] v, double[] d, double[] e) {
        double dd = VectorMath.dot(d, d);
        double de = VectorMath.dot(d, e);
        double ee = VectorMath.dot(e, e);
        double dv = VectorMath.dot(d, v);
        double ev = VectorMath.dot(e, v);
        double det = dd * ee - de * de;
        return new double[] {(dv * ee - ev * de) / det, (ev * dd - dv * de) / det};
    }

    private static double[] minus(double[] a, double[] b) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i] - b[i];
        }
        return r;
    }

    private static double sq(double x) {
        return x * x;
    }
}
