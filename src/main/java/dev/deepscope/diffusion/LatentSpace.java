package dev.deepscope.diffusion;

import dev.deepscope.engine.diffusion.VaeModel;

/**
 * Latent diffusion works on z = μ(x)/σ_z (the VAE's mean latent, scaled to unit spread, as Stable
 * Diffusion scales by 0.18215); images come back through the decoder: x = D(σ_z·z).
 */
public final class LatentSpace {

    private LatentSpace() {
    }

    /** Images (rows of 784 pixels in 0..1) → scaled latents z = μ(x)/σ_z, encoded 500 at a time. */
    public static float[][] toLatents(VaeModel vae, float[][] pixels, double latentStd) {
        float[][] out = new float[pixels.length][];
        for (int from = 0; from < pixels.length; from += 500) {
            float[][] batch = java.util.Arrays.copyOfRange(pixels, from, Math.min(pixels.length, from + 500));
            float[][] z = vae.encode(batch);
            for (int i = 0; i < z.length; i++) {
                out[from + i] = scale(z[i], 1 / latentStd);
            }
        }
        return out;
    }

    /** Scaled latents → images through the decoder, x = D(σ_z·z). */
    public static float[][] toPixels(VaeModel vae, float[][] latents, double latentStd) {
        float[][] unscaled = new float[latents.length][];
        for (int i = 0; i < latents.length; i++) {
            unscaled[i] = scale(latents[i], latentStd);
        }
        return vae.decode(unscaled);
    }

    private static float[] scale(float[] z, double factor) {
        float[] out = new float[z.length];
        for (int j = 0; j < z.length; j++) {
            out[j] = (float) (z[j] * factor);
        }
        return out;
    }
}
