package dev.deepscope.text;

import dev.deepscope.engine.VectorMath;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The token embedding W_E as a space: nearest tokens by cosine similarity cos θ = a·b / (‖a‖ ‖b‖), and a 2-D
 * picture of all tokens from the embeddings' first two principal components (found by power iteration).
 */
public final class EmbeddingSpace {

    /** A token near another (its label, see {@link BytePairEncoding#tokenLabel}): cosine similarity and dot product a·b. */
    public record Neighbour(int id, String label, double cosine, double dot) {
    }

    /** A token's place in the 2-D projection, with its label. */
    public record Point(int id, String label, double x, double y) {
    }

    private final float[][] vectors;   // (V, C)
    private final double[] norms;
    private final BytePairEncoding tokenizer;
    private final List<Point> projection;

    public EmbeddingSpace(float[][] vectors, BytePairEncoding tokenizer) {
        this.vectors = vectors;
        this.tokenizer = tokenizer;
        norms = new double[vectors.length];
        for (int v = 0; v < vectors.length; v++) {
            norms[v] = Math.sqrt(VectorMath.dot(vectors[v], vectors[v]));
        }
        projection = project();
    }

    /** The {@code count} tokens most similar to {@code id}, best first, itself excluded. */
    public List<Neighbour> nearest(int id, int count) {
        float[] scores = new float[vectors.length];
        for (int v = 0; v < vectors.length; v++) {
            scores[v] = v == id ? Float.NEGATIVE_INFINITY : (float) (VectorMath.dot(vectors[id], vectors[v]) / (norms[id] * norms[v]));
        }
        Integer[] order = Sampler.byProbability(scores);
        List<Neighbour> out = new ArrayList<>();
        for (int rank = 0; rank < Math.min(count, vectors.length - 1); rank++) {
            int v = order[rank];
            out.add(new Neighbour(v, tokenizer.tokenLabel(v), scores[v], VectorMath.dot(vectors[id], vectors[v])));
        }
        return out;
    }

    public List<Point> projection() {
        return projection;
    }

    public int size() {
        return vectors.length;
    }

    /** Centre the embeddings, then x = e·u₁, y = e·u₂ for the top two eigenvectors of the covariance. */
    private List<Point> project() {
        int c = vectors[0].length;
        double[] mean = new double[c];
        for (float[] e : vectors) {
            for (int k = 0; k < c; k++) {
                mean[k] += e[k] / vectors.length;
            }
        }
        double[][] centred = new double[vectors.length][c];
        for (int v = 0; v < vectors.length; v++) {
            for (int k = 0; k < c; k++) {
                centred[v][k] = vectors[v][k] - mean[k];
            }
        }
        double[] first = principal(centred, null);
        double[] second = principal(centred, first);
        List<Point> points = new ArrayList<>();
        for (int v = 0; v < vectors.length; v++) {
            points.add(new Point(v, tokenizer.tokenLabel(v), VectorMath.dot(centred[v], first), VectorMath.dot(centred[v], second)));
        }
        return points;
    }

    /** Power iteration u ← Xᵀ X u, kept orthogonal to {@code orthogonalTo}; seeded so the picture is stable. */
    private static double[] principal(double[][] x, double[] orthogonalTo) {
        int c = x[0].length;
        Random random = new Random(1);
        double[] u = new double[c];
        for (int k = 0; k < c; k++) {
            u[k] = random.nextGaussian();
        }
        for (int iteration = 0; iteration < 100; iteration++) {
            double[] next = new double[c];
            for (double[] row : x) {
                double projected = VectorMath.dot(row, u);
                for (int k = 0; k < c; k++) {
                    next[k] += projected * row[k];
                }
            }
            if (orthogonalTo != null) {
                double along = VectorMath.dot(next, orthogonalTo);
                for (int k = 0; k < c; k++) {
                    next[k] -= along * orthogonalTo[k];
                }
            }
            double norm = Math.sqrt(VectorMath.dot(next, next));
            for (int k = 0; k < c; k++) {
                u[k] = next[k] / norm;
            }
        }
        return u;
    }
}
