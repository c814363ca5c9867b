package dev.deepscope.diffusion.training;

/**
 * An exponential moving average of a network's weights over training: θ̄ ← d·θ̄ + (1−d)·θ after every
 * step, with the decay warmed up as d_k = min(d, (1+k)/(10+k)) so the random start fades quickly.
 * Diffusion models sample from θ̄ rather than the last θ: the last step's jitter is noise in ε_θ, and
 * guidance multiplies ε_cond − ε_uncond by w, so at w = 10 that noise became visible grain.
 */
final class WeightAverage {

    private final double decay;
    private float[][] average;
    private long updates;

    WeightAverage(double decay) {
        this.decay = decay;
    }

    void update(float[][] weights) {
        if (average == null) {
            average = new float[weights.length][];
            for (int i = 0; i < weights.length; i++) {
                average[i] = weights[i].clone();
            }
        }
        double d = Math.min(decay, (1.0 + updates) / (10.0 + updates));
        for (int i = 0; i < weights.length; i++) {
            float[] a = average[i];
            float[] w = weights[i];
            for (int j = 0; j < a.length; j++) {
                a[j] = (float) (d * a[j] + (1 - d) * w[j]);
            }
        }
        updates++;
    }

    float[][] values() {
        return average;
    }
}
