package dev.deepscope.diffusion;

/** Pixel-space diffusion works on x₀ = 2p − 1 (−1..1, centred like the noise); images come back as p in 0..1. */
public final class PixelSpace {

    private PixelSpace() {
    }

    /** Images (pixels p in 0..1) → x₀ = 2p − 1. */
    public static float[][] toModel(float[][] pixels) {
        float[][] out = new float[pixels.length][];
        for (int i = 0; i < pixels.length; i++) {
            out[i] = toModel(pixels[i]);
        }
        return out;
    }

    static float[] toModel(float[] p) {
        float[] x = new float[p.length];
        for (int j = 0; j < p.length; j++) {
            x[j] = 2 * p[j] - 1;
        }
        return x;
    }

    /** p = (x + 1)/2, clamped to 0..1. */
    static float[] toPixels(float[] x) {
        float[] p = new float[x.length];
        for (int j = 0; j < x.length; j++) {
            p[j] = Math.max(0, Math.min(1, (x[j] + 1) / 2));
        }
        return p;
    }
}
