package dev.deepscope.engine;

import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/** Bulk copies between Java float arrays and tensors (one copy each way, never element by element). */
public final class FloatTensors {

    private FloatTensors() {
    }

    /** Rows of equal length as a (rows, columns) tensor. The caller closes it. */
    public static TFloat32 matrix(float[][] rows) {
        int columns = rows.length == 0 ? 0 : rows[0].length;
        float[] flat = new float[rows.length * columns];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * columns, columns);
        }
        return TFloat32.tensorOf(Shape.of(rows.length, columns), DataBuffers.of(flat, true, false));
    }

    public static float[] toArray(TFloat32 tensor) {
        float[] values = new float[(int) tensor.shape().size()];
        tensor.copyTo(DataBuffers.of(values, false, false));
        return values;
    }

    /** A flat (n × width) array as n rows: the inverse of {@link #matrix}. */
    public static float[][] rows(float[] flat, int n, int width) {
        float[][] out = new float[n][width];
        for (int i = 0; i < n; i++) {
            System.arraycopy(flat, i * width, out[i], 0, width);
        }
        return out;
    }

    public static float scalar(TFloat32 tensor) {
        return tensor.getFloat();
    }
}
