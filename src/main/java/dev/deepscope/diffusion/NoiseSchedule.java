package dev.deepscope.diffusion;

/**
 * The DDPM noise schedule over T = 1000 steps, computed once in Java (TensorFlow has no gradient for
 * Cumprod, and none is needed: these are constants). Index t = 0..T−1 stands for the paper's step t+1.
 */
public final class NoiseSchedule {

    public static final int T = 1000;
    public static final NoiseSchedule LINEAR = new NoiseSchedule(1e-4, 0.02);

    /** β_t, linear from β_1 to β_T: the variance of the noise added at step t. */
    final double[] beta = new double[T];
    /** α_t = 1 − β_t. */
    final double[] alpha = new double[T];
    /** ᾱ_t = Π_{s≤t} α_s: how much of x₀ survives in x_t. */
    final double[] alphaBar = new double[T];
    /** √ᾱ_t, the signal scale of x_t. */
    final double[] sqrtAlphaBar = new double[T];
    /** √(1 − ᾱ_t), the noise scale of x_t. */
    final double[] sqrtOneMinusAlphaBar = new double[T];

    NoiseSchedule(double betaStart, double betaEnd) {
        double product = 1;
        for (int t = 0; t < T; t++) {
            beta[t] = betaStart + (betaEnd - betaStart) * t / (T - 1);
            alpha[t] = 1 - beta[t];
            product *= alpha[t];
            alphaBar[t] = product;
            sqrtAlphaBar[t] = Math.sqrt(product);
            sqrtOneMinusAlphaBar[t] = Math.sqrt(1 - product);
        }
    }

    public double[] alphaBars() {
        return alphaBar.clone();
    }

    /** The forward shortcut q(x_t | x₀): x_t = √ᾱ_t·x₀ + √(1−ᾱ_t)·ε. */
    public float[] noisy(float[] x0, float[] epsilon, int t) {
        float[] x = new float[x0.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (sqrtAlphaBar[t] * x0[i] + sqrtOneMinusAlphaBar[t] * epsilon[i]);
        }
        return x;
    }

    /** One forward step q(x_t | x_{t−1}): x_t = √α_t·x_{t−1} + √β_t·ε. */
    public float[] forwardStep(float[] previous, float[] epsilon, int t) {
        float[] x = new float[previous.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (Math.sqrt(alpha[t]) * previous[i] + Math.sqrt(beta[t]) * epsilon[i]);
        }
        return x;
    }
}
