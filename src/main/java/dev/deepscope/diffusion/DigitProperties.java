package dev.deepscope.diffusion;

/**
 * What our code measures on a 28×28 digit image (784 intensities in 0..1, row by row; x grows to the right,
 * y downwards), the properties captions name and the property benchmark checks. "Ink" is the intensity p;
 * a pixel is "inked" when p &gt; {@link #INKED}.
 *
 * @param thickness stroke width in pixels: 2·A / P, A the inked area (pixels), P its perimeter (the number
 *                  of edges between an inked pixel and a blank one, 4-neighbours). A stroke of width w and
 *                  length L has A ≈ wL and P ≈ 2L, so 2A/P ≈ w whatever the digit's shape.
 * @param size      the ink's extent in pixels: its radius of gyration √(Σ p·|r − r̄|² / Σ p), r̄ the centre of mass
 * @param slant     the shear of the ink: −cov(x, y) / var(y) under the ink's weights, how many pixels the
 *                  strokes move right per pixel up; &gt; 0 leans right, &lt; 0 leans left, 0 upright
 * @param x         the centre of mass's offset from the image centre (13.5), pixels, &gt; 0 right of it
 * @param y         the same vertically, &gt; 0 below the centre
 */
public record DigitProperties(double thickness, double size, double slant, double x, double y) {

    public static final double INKED = 0.5;
    private static final int SIDE = 28;
    private static final double CENTRE = 13.5;

    /** The properties of one image; a blank image (no ink) measures 0 everywhere. */
    public static DigitProperties of(float[] pixels) {
        if (pixels.length != SIDE * SIDE) {
            throw new IllegalArgumentException("a digit has 784 pixels, not " + pixels.length);
        }
        double mass = 0;
        double sx = 0;
        double sy = 0;
        int area = 0;
        int perimeter = 0;
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                double p = pixels[y * SIDE + x];
                mass += p;
                sx += p * x;
                sy += p * y;
                if (inked(pixels, x, y)) {
                    area++;
                    perimeter += (inked(pixels, x - 1, y) ? 0 : 1) + (inked(pixels, x + 1, y) ? 0 : 1)
                            + (inked(pixels, x, y - 1) ? 0 : 1) + (inked(pixels, x, y + 1) ? 0 : 1);
                }
            }
        }
        if (mass <= 0) {
            return new DigitProperties(0, 0, 0, 0, 0);
        }
        double cx = sx / mass;
        double cy = sy / mass;
        double vxx = 0;
        double vyy = 0;
        double vxy = 0;
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                double p = pixels[y * SIDE + x];
                vxx += p * (x - cx) * (x - cx);
                vyy += p * (y - cy) * (y - cy);
                vxy += p * (x - cx) * (y - cy);
            }
        }
        double thickness = perimeter == 0 ? 0 : 2.0 * area / perimeter;
        double slant = vyy <= 0 ? 0 : -vxy / vyy;
        return new DigitProperties(thickness, Math.sqrt((vxx + vyy) / mass), slant, cx - CENTRE, cy - CENTRE);
    }

    /** The value of one property. */
    public double value(Property property) {
        return switch (property) {
            case THICKNESS -> thickness;
            case SIZE -> size;
            case SLANT -> slant;
            case HORIZONTAL -> x;
            case VERTICAL -> y;
        };
    }

    private static boolean inked(float[] pixels, int x, int y) {
        return x >= 0 && y >= 0 && x < SIDE && y < SIDE && pixels[y * SIDE + x] > INKED;
    }

    /**
     * A measured property and the words for its low and high ends (the middle has no word except
     * for slant, "upright").
     */
    public enum Property {
        THICKNESS("thin", "bold"),
        SIZE("small", "big"),
        SLANT("slanted left", "slanted right"),
        HORIZONTAL("on the left", "on the right"),
        VERTICAL("at the top", "at the bottom");

        private final String low;
        private final String high;

        Property(String low, String high) {
            this.low = low;
            this.high = high;
        }

        /** The usual words for the low end ("thin"). */
        public String low() {
            return low;
        }

        /** The usual words for the high end ("bold"). */
        public String high() {
            return high;
        }
    }
}
