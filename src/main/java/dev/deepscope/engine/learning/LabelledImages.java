package dev.deepscope.engine.learning;

/** n images as one block: pixels (n × 784, row by row, 0..1) and their labels (0..9 for digits, 0..k−1 for k classes). */
public record LabelledImages(float[] pixels, int[] labels) {

    public int size() {
        return labels.length;
    }

    /** y (n × classes): the output the network should give, 1 for the right class and 0 for the others. */
    public float[] oneHot(int classes) {
        float[] y = new float[labels.length * classes];
        for (int i = 0; i < labels.length; i++) {
            y[i * classes + labels[i]] = 1;
        }
        return y;
    }
}
