package dev.deepscope.learning;

import dev.deepscope.engine.learning.MlpParameters;

/**
 * A {@code weights} event: the incoming weights of the first hidden layer's neurons, each a 28×28 image
 * (blue positive, red negative on the page). Values are sent as integers −127..127 of {@code scale}
 * (w ≈ v · scale / 127) so a picture of 16 neurons is ~40 KB, not ~100 KB, in the stream and the database.
 */
record WeightPictures(int step, int layer, int[] shape, int neurons, double scale, int[][] values) {

    /** The first 16 neurons, as the series shows its first hidden layer. */
    static final int SHOWN = 16;

    static WeightPictures of(int step, MlpParameters theta) {
        int neurons = theta.shape().widths()[1];
        int shown = Math.min(SHOWN, neurons);
        float[][] rows = new float[shown][];
        double max = 1e-12;
        for (int j = 0; j < shown; j++) {
            rows[j] = theta.incoming(0, j);
            for (float w : rows[j]) {
                max = Math.max(max, Math.abs(w));
            }
        }
        int[][] values = new int[shown][784];
        for (int j = 0; j < shown; j++) {
            for (int k = 0; k < 784; k++) {
                values[j][k] = (int) Math.round(rows[j][k] / max * 127);
            }
        }
        return new WeightPictures(step, 1, new int[] {28, 28}, neurons, max, values);
    }
}
