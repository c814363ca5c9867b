package dev.deepscope.learning;

import dev.deepscope.engine.VectorMath;
import dev.deepscope.engine.learning.GradientProbe;
import dev.deepscope.engine.learning.LabelledImages;
import dev.deepscope.engine.learning.MlpParameters;
import java.util.ArrayList;
import java.util.List;

/**
 * Backpropagation for one digit, laid open: each layer's ∂C/∂W and ∂C/∂b (the blame passed backward),
 * and for one chosen weight the chain rule's three factors next to autodiff and a finite difference.
 */
final class BackpropInspector {

    /** h of the central difference (C(w + h) − C(w − h)) / 2h, in float64: error ~h² + 1e-16/h. */
    static final double H = 1e-6;

    /** One layer l ≥ 1: gradients laid out (row j = neuron of this layer, col k = neuron below). */
    record LayerBlame(int layer, int rows, int cols, double[] activations, double[] dC_da, double[] dC_db,
                      double[] dC_dW) {
    }

    /**
     * ∂C/∂w = dz_dw · da_dz · dC_da: how active the neuron below is (a_k), how responsive this neuron is
     * (σ'(z_j)), and how much its activation matters to the cost (∂C/∂a_j) — "how wrong" at the output.
     */
    record WeightBlame(int layer, int row, int col, double value, double z, double dC_da, double da_dz, double dz_dw,
                       double product, double autodiff, double finiteDifference) {
    }

    record Inspection(String model, String network, int label, int prediction, double cost, double[] outputs,
                      List<LayerBlame> layers, WeightBlame weight) {
    }

    private BackpropInspector() {
    }

    static Inspection inspect(TrainedNetworks.Trained trained, BackpropRequest request) {
        MlpParameters theta = trained.current();
        int[] widths = trained.shape().widths();
        float[] image = request.intensities();
        int l = request.weight().layer() - 1;        // weight matrix index
        int j = request.weight().row();
        int k = request.weight().col();
        try (GradientProbe probe = new GradientProbe(trained.shape())) {
            GradientProbe.Backprop b = probe.backprop(theta, image, request.label());
            List<LayerBlame> layers = new ArrayList<>();
            for (int i = 0; i < b.layers().size(); i++) {
                GradientProbe.Layer layer = b.layers().get(i);
                int rows = widths[i + 1];
                int cols = widths[i];
                double[] dCdW = new double[rows * cols];       // (in, out) → row j, col k
                for (int kk = 0; kk < cols; kk++) {
                    for (int jj = 0; jj < rows; jj++) {
                        dCdW[jj * cols + kk] = layer.dCdW()[kk * rows + jj];
                    }
                }
                layers.add(new LayerBlame(i + 1, rows, cols, layer.a(), layer.dCda(), layer.dCdb(), dCdW));
            }
            GradientProbe.Layer chosen = b.layers().get(l);
            double dzdw = l == 0 ? b.input()[k] : b.layers().get(l - 1).a()[k];   // ∂z_j/∂w_jk = a_k
            LabelledImages one = new LabelledImages(image, new int[] {request.label()});
            double finite = (probe.cost(theta, new GradientProbe.Nudge(l, j, k, H), one)
                    - probe.cost(theta, new GradientProbe.Nudge(l, j, k, -H), one)) / (2 * H);
            WeightBlame weight = new WeightBlame(l + 1, j, k, theta.weight(l, j, k), chosen.z()[j], chosen.dCda()[j],
                    chosen.dadz()[j], dzdw, chosen.dCda()[j] * chosen.dadz()[j] * dzdw,
                    chosen.dCdW()[k * widths[l + 1] + j], finite);
            double[] outputs = b.layers().get(b.layers().size() - 1).a();
            return new Inspection(trained.runId(), trained.shape().describe(), request.label(), VectorMath.argMax(outputs),
                    b.cost(), outputs, layers, weight);
        }
    }
}
