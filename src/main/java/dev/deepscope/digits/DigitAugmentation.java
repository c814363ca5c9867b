package dev.deepscope.digits;

import java.util.Random;

/**
 * Random small affine distortions of a training digit (rotation, scale, shift), the way people's
 * handwriting varies, so a model learns the digit rather than its exact pixels.
 * Each output pixel p samples the input bilinearly at c + (R·S)⁻¹(p − c − t).
 */
public record DigitAugmentation(double maxDegrees, double maxScale, double maxShift) {

    static final DigitAugmentation NONE = new DigitAugmentation(0, 0, 0);

    public float[] distort(float[] pixels, Random random) {
        if (this.equals(NONE)) {
            return pixels;
        }
        double angle = Math.toRadians((random.nextDouble() * 2 - 1) * maxDegrees);
        double scale = 1 + (random.nextDouble() * 2 - 1) * maxScale;
        double tx = (random.nextDouble() * 2 - 1) * maxShift;
        double ty = (random.nextDouble() * 2 - 1) * maxShift;
        // StrictMath: Math.sin/cos may round differently once JIT-compiled, which breaks reproducibility
        double cos = StrictMath.cos(angle) / scale;
        double sin = StrictMath.sin(angle) / scale;
        float[] out = new float[pixels.length];
        double c = 13.5;
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                double dx = x - c - tx;
                double dy = y - c - ty;
                double sx = cos * dx + sin * dy + c;   // inverse rotation and scale
                double sy = -sin * dx + cos * dy + c;
                out[y * 28 + x] = sample(pixels, sx, sy);
            }
        }
        return out;
    }

    private static float sample(float[] pixels, double x, double y) {
        int x0 = (int) Math.floor(x);
        int y0 = (int) Math.floor(y);
        double fx = x - x0;
        double fy = y - y0;
        return (float) ((1 - fx) * (1 - fy) * at(pixels, x0, y0) + fx * (1 - fy) * at(pixels, x0 + 1, y0)
                + (1 - fx) * fy * at(pixels, x0, y0 + 1) + fx * fy * at(pixels, x0 + 1, y0 + 1));
    }

    private static float at(float[] pixels, int x, int y) {
        return x < 0 || y < 0 || x >= 28 || y >= 28 ? 0 : pixels[y * 28 + x];
    }
}
