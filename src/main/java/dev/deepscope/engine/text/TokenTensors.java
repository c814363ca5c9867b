package dev.deepscope.engine.text;

import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TInt32;

/** Token ids and positions as int32 tensors, copied in bulk. The caller closes them. */
final class TokenTensors {

    private TokenTensors() {
    }

    /** Rows of equal length → (rows, columns). */
    static TInt32 matrix(int[][] rows) {
        int columns = rows[0].length;
        int[] flat = new int[rows.length * columns];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * columns, columns);
        }
        return TInt32.tensorOf(Shape.of(rows.length, columns), DataBuffers.of(flat, true, false));
    }

    /** Positions start, start+1, … in every row: (rows, length). */
    static TInt32 positions(int rows, int length, int start) {
        int[] flat = new int[rows * length];
        for (int i = 0; i < flat.length; i++) {
            flat[i] = start + i % length;
        }
        return TInt32.tensorOf(Shape.of(rows, length), DataBuffers.of(flat, true, false));
    }
}
