package dev.deepscope.engine.learning;

/** n digits as one block: pixels (n × 784, row by row, 0..1) and their labels 0..9. */
public record LabelledImages(float[] pixels, int[] labels) {

    public int size() {
        return labels.length;
    }

    /** y: the output the network should give, 1 for the right digit and 0 for the other nine. */
    public float[] oneHot() {
        float[] y = new float[labels.length * 10];
        for (int i = 0; i < labels.length; i++) {
            y[i * 10 + labels[i]] = 1;
        }
        return y;
    }
}
