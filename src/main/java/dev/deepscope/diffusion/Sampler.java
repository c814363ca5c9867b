package dev.deepscope.diffusion;

import dev.deepscope.engine.clip.ClipModel;
import dev.deepscope.engine.diffusion.UNetModel;
import java.util.Random;

/**
 * The reverse process: from x_T ~ N(0, I), repeatedly predict the noise and step towards x₀.
 *
 * <p>Every step is the generalised DDIM update (Song et al. 2021) with a stochasticity η:
 * x̂₀ = (x_t − √(1−ᾱ_t)·ε̂)/√ᾱ_t, σ = η·√((1−ᾱ_prev)/(1−ᾱ_t))·√(1−ᾱ_t/ᾱ_prev),
 * x_prev = √ᾱ_prev·x̂₀ + √(1−ᾱ_prev−σ²)·ε̂ + σ·z. η = 1 is DDPM (on the full schedule exactly its
 * posterior mean and variance β̃_t), η = 0 is deterministic DDIM.
 *
 * <p>Classifier-free guidance: ε̂ = (w+1)·ε_cond − w·ε_uncond, both halves from ONE batched call.
 */
public final class Sampler {

    public enum Kind {
        DDPM(1), DDIM(0);

        final double eta;

        Kind(double eta) {
            this.eta = eta;
        }
    }

    /**
     * What a step computed, in the U-Net's space: x_prev, x̂₀, (when guided) both noise predictions, and —
     * when the listener asked for this step's inside — what the U-Net computed inside for the first image's
     * conditional prediction (else null).
     */
    public record Step(int index, int t, float[][] x, float[][] x0, float[][] noiseConditional,
                       float[][] noiseUnconditional, UNetModel.Inside inside) {
    }

    public interface Listener {
        void onStep(Step step);

        /** Whether step {@code index} should also fetch the U-Net's inside (asked before the step runs). */
        default boolean wantsInside(int index) {
            return false;
        }
    }

    private final UNetModel unet;
    private final NoiseSchedule schedule;
    private final boolean clipX0;

    /** @param clipX0 clamp x̂₀ to −1..1 (pixels live there; latents do not) */
    public Sampler(UNetModel unet, NoiseSchedule schedule, boolean clipX0) {
        this.unet = unet;
        this.schedule = schedule;
        this.clipX0 = clipX0;
    }

    /** The S steps used, ascending: τ_i = ⌊(i+1)·T/S⌋ − 1, so the last is always T−1. */
    public static int[] timesteps(int steps) {
        int[] tau = new int[steps];
        for (int i = 0; i < steps; i++) {
            tau[i] = (int) ((long) (i + 1) * NoiseSchedule.T / steps) - 1;
        }
        return tau;
    }

    /** @param listener hears every step (and may stop sampling by throwing) */
    public float[][] sample(int count, ClipModel.TextEncoding condition, ClipModel.TextEncoding unconditional,
                            double guidance, int steps, Kind kind, long seed, Listener listener) {
        return sample(count, condition, unconditional, guidance, steps, kind, seed, listener, null, 0);
    }

    /**
     * {@link #sample} whose condition becomes {@code switchTo} (when not null) from step index {@code switchAt} on;
     * the steps before are exactly those without the switch (the same noise is drawn in the same order).
     */
    public float[][] sample(int count, ClipModel.TextEncoding condition, ClipModel.TextEncoding unconditional,
                            double guidance, int steps, Kind kind, long seed, Listener listener,
                            ClipModel.TextEncoding switchTo, int switchAt) {
        Random random = new Random(seed);
        int size = unet.architecture().size();
        float[][] x = new float[count][size];
        for (float[] row : x) {
            fillGaussian(row, random);
        }
        int[] tau = timesteps(steps);
        for (int i = steps - 1; i >= 0; i--) {
            int t = tau[i];
            ClipModel.TextEncoding c = switchTo != null && steps - 1 - i >= switchAt ? switchTo : condition;
            // guidance needs ε_uncond only if it changes anything: w ≠ 0 and a real condition
            boolean guided = guidance != 0 && c != unconditional;
            UNetModel.Inside[] inside = listener.wantsInside(steps - 1 - i) ? new UNetModel.Inside[1] : null;
            float[][][] predicted = predict(x, t, c, unconditional, guided, inside);
            float[][] eps = guided ? guide(predicted[0], predicted[1], guidance) : predicted[0];
            double alphaBarPrev = i == 0 ? 1.0 : schedule.alphaBar[tau[i - 1]];
            float[][] x0 = new float[count][];
            for (int k = 0; k < count; k++) {
                float[] z = new float[size];
                if (kind.eta > 0 && i > 0) {
                    fillGaussian(z, random);
                }
                x0[k] = new float[size];
                x[k] = step(x[k], eps[k], z, schedule.alphaBar[t], alphaBarPrev, kind.eta, clipX0, x0[k]);
            }
            listener.onStep(new Step(steps - 1 - i, t, x, x0, predicted[0], guided ? predicted[1] : null,
                    inside == null ? null : inside[0]));
        }
        return x;
    }

    /** ε_cond for every image and, when guided, ε_uncond, without looking inside. */
    float[][][] predict(float[][] x, int t, ClipModel.TextEncoding condition, ClipModel.TextEncoding unconditional,
                        boolean guided) {
        return predict(x, t, condition, unconditional, guided, null);
    }

    /**
     * ε_cond for every image and, when guided, ε_uncond — one U-Net call on a doubled batch. When {@code inside}
     * is given, its one place receives what that same call computed inside for the first image's ε_cond.
     */
    float[][][] predict(float[][] x, int t, ClipModel.TextEncoding condition, ClipModel.TextEncoding unconditional,
                        boolean guided, UNetModel.Inside[] inside) {
        int count = x.length;
        int n = guided ? 2 * count : count;
        float[][] noisy = new float[n][];
        float[] time = new float[n];
        float[][] c = new float[n][];
        float[][] m = new float[n][];
        for (int r = 0; r < n; r++) {
            ClipModel.TextEncoding e = r < count ? condition : unconditional;
            noisy[r] = x[r % count];
            time[r] = t;
            c[r] = e.condition();
            m[r] = e.conditionMask();
        }
        UNetModel.Batch batch = new UNetModel.Batch(noisy, time, c, m);
        float[][] eps;
        if (inside == null) {
            eps = unet.predictNoise(batch);
        } else {
            UNetModel.Forward forward = unet.predictNoiseInside(batch, 0);
            eps = forward.noise();
            inside[0] = forward.inside();
        }
        if (!guided) {
            return new float[][][] {eps, null};
        }
        return new float[][][] {java.util.Arrays.copyOfRange(eps, 0, count),
                java.util.Arrays.copyOfRange(eps, count, n)};
    }

    /** ε̂ = (w+1)·ε_cond − w·ε_uncond. */
    static float[][] guide(float[][] conditional, float[][] unconditional, double w) {
        float[][] out = new float[conditional.length][];
        for (int k = 0; k < out.length; k++) {
            out[k] = new float[conditional[k].length];
            for (int j = 0; j < out[k].length; j++) {
                out[k][j] = (float) ((w + 1) * conditional[k][j] - w * unconditional[k][j]);
            }
        }
        return out;
    }

    /**
     * One generalised DDIM step from x_t to x_prev (see the class comment); writes x̂₀ into {@code x0Out}.
     * When x̂₀ is clamped, ε̂ is recomputed from it so the step stays consistent with the clamped x̂₀.
     */
    static float[] step(float[] x, float[] eps, float[] z, double alphaBar, double alphaBarPrev, double eta,
                        boolean clipX0, float[] x0Out) {
        double sqrtAlphaBar = Math.sqrt(alphaBar);
        double sqrtOneMinus = Math.sqrt(1 - alphaBar);
        double sigma = eta * Math.sqrt((1 - alphaBarPrev) / (1 - alphaBar)) * Math.sqrt(1 - alphaBar / alphaBarPrev);
        double direction = Math.sqrt(Math.max(0, 1 - alphaBarPrev - sigma * sigma));
        float[] prev = new float[x.length];
        for (int j = 0; j < x.length; j++) {
            double x0 = (x[j] - sqrtOneMinus * eps[j]) / sqrtAlphaBar;
            double e = eps[j];
            if (clipX0 && (x0 > 1 || x0 < -1)) {
                x0 = Math.max(-1, Math.min(1, x0));
                e = (x[j] - sqrtAlphaBar * x0) / sqrtOneMinus;
            }
            x0Out[j] = (float) x0;
            prev[j] = (float) (Math.sqrt(alphaBarPrev) * x0 + direction * e + sigma * z[j]);
        }
        return prev;
    }

    static void fillGaussian(float[] row, Random random) {
        for (int j = 0; j < row.length; j++) {
            row[j] = (float) random.nextGaussian();
        }
    }
}
