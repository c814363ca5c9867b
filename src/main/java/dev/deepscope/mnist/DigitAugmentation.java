package dev.deepscope.mnist;

import java.util.Random;

/**
 * Random distortions of a training digit, the ways people's handwriting and pens vary, so a model learns
 * the digit rather than its exact pixels:
 * <ul>
 *   <li>stroke width: the ink thickened or thinned by up to {@code maxStroke} of a pixel, by blending with its
 *       grey-level dilation or erosion (a 3×3 cross), since pens and the drawing pad make strokes of any width;</li>
 *   <li>elastic distortion (Simard, Steinkraus &amp; Platt 2003, "Best practices for convolutional neural
 *       networks", §2): a random displacement field, uniform in (−1, 1), smoothed by a Gaussian of σ =
 *       {@code elasticSigma} pixels and scaled by α = {@code elasticAlpha};</li>
 *   <li>an affine map (rotation, scale, shift): each output pixel p samples the input bilinearly at
 *       c + (R·S)⁻¹(p − c − t) + d(p), d the elastic displacement.</li>
 * </ul>
 */
public record DigitAugmentation(double maxDegrees, double maxScale, double maxShift, double maxStroke,
                                double elasticAlpha, double elasticSigma) {

    static final DigitAugmentation NONE = new DigitAugmentation(0, 0, 0, 0, 0, 0);
    private static final int SIDE = 28;

    /** Affine distortions only. */
    public DigitAugmentation(double maxDegrees, double maxScale, double maxShift) {
        this(maxDegrees, maxScale, maxShift, 0, 0, 0);
    }

    /** A distorted copy of {@code pixels} (784 intensities in 0..1, row by row); the input is not changed. */
    public float[] distort(float[] pixels, Random random) {
        if (this.equals(NONE)) {
            return pixels;
        }
        float[] inked = maxStroke > 0 ? restroke(pixels, (random.nextDouble() * 2 - 1) * maxStroke) : pixels;
        double angle = Math.toRadians((random.nextDouble() * 2 - 1) * maxDegrees);
        double scale = 1 + (random.nextDouble() * 2 - 1) * maxScale;
        double tx = (random.nextDouble() * 2 - 1) * maxShift;
        double ty = (random.nextDouble() * 2 - 1) * maxShift;
        double[][] field = elasticAlpha > 0 ? displacement(random) : null;
        // StrictMath: Math.sin/cos may round differently once JIT-compiled, which breaks reproducibility
        double cos = StrictMath.cos(angle) / scale;
        double sin = StrictMath.sin(angle) / scale;
        float[] out = new float[pixels.length];
        double c = 13.5;
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                double dx = x - c - tx;
                double dy = y - c - ty;
                double sx = cos * dx + sin * dy + c;   // inverse rotation and scale
                double sy = -sin * dx + cos * dy + c;
                if (field != null) {
                    sx += field[0][y * SIDE + x];
                    sy += field[1][y * SIDE + x];
                }
                out[y * SIDE + x] = sample(inked, sx, sy);
            }
        }
        return out;
    }

    /** p + s·(dilate(p) − p) for s > 0 (bolder), p + |s|·(erode(p) − p) for s < 0 (thinner). */
    static float[] restroke(float[] pixels, double s) {
        float[] out = new float[pixels.length];
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                float p = pixels[y * SIDE + x];
                float bound = p;
                for (int[] d : CROSS) {
                    float q = at(pixels, x + d[0], y + d[1]);
                    bound = s > 0 ? Math.max(bound, q) : Math.min(bound, q);
                }
                out[y * SIDE + x] = (float) (p + Math.abs(s) * (bound - p));
            }
        }
        return out;
    }

    private static final int[][] CROSS = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}};

    /** Two fields (dx, dy) of 784 displacements in pixels: α · (G_σ * U(−1, 1)). */
    private double[][] displacement(Random random) {
        int radius = (int) Math.ceil(3 * elasticSigma);
        double[] kernel = new double[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) {
            kernel[i + radius] = Math.exp(-i * i / (2 * elasticSigma * elasticSigma));
            sum += kernel[i + radius];
        }
        double[][] field = new double[2][];
        for (int f = 0; f < 2; f++) {
            double[] noise = new double[SIDE * SIDE];
            for (int i = 0; i < noise.length; i++) {
                noise[i] = random.nextDouble() * 2 - 1;
            }
            // separable Gaussian: rows, then columns (zero outside the image)
            double[] rows = new double[noise.length];
            double[] smooth = new double[noise.length];
            for (int y = 0; y < SIDE; y++) {
                for (int x = 0; x < SIDE; x++) {
                    double v = 0;
                    for (int k = -radius; k <= radius; k++) {
                        int xx = x + k;
                        v += xx < 0 || xx >= SIDE ? 0 : kernel[k + radius] * noise[y * SIDE + xx];
                    }
                    rows[y * SIDE + x] = v / sum;
                }
            }
            for (int y = 0; y < SIDE; y++) {
                for (int x = 0; x < SIDE; x++) {
                    double v = 0;
                    for (int k = -radius; k <= radius; k++) {
                        int yy = y + k;
                        v += yy < 0 || yy >= SIDE ? 0 : kernel[k + radius] * rows[yy * SIDE + x];
                    }
                    smooth[y * SIDE + x] = elasticAlpha * v / sum;
                }
            }
            field[f] = smooth;
        }
        return field;
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
        return x < 0 || y < 0 || x >= SIDE || y >= SIDE ? 0 : pixels[y * SIDE + x];
    }
}
