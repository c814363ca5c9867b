package dev.deepscope.text;

import dev.deepscope.engine.VectorMath;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * The token embedding W_E (V rows of C numbers, one per token) as a space: nearest tokens by cosine similarity
 * cos θ = a·b / (‖a‖ ‖b‖), vector arithmetic a − b + c, and a 2-D picture of all tokens from the embeddings' first
 * two principal components (found by power iteration). Plain Java: V·C is about 10⁵ multiplications a question.
 */
public final class EmbeddingSpace {

    /**
     * A token near a query vector q (its label, see {@link BytePairEncoding#tokenLabel}): cosine similarity
     * q·e / (‖q‖ ‖e‖), the dot product q·e and the token's own length ‖e‖.
     */
    public record Neighbour(int id, String label, double cosine, double dot, double norm) {
    }

    /** A token's place in the 2-D projection, with its label. */
    public record Point(int id, String label, double x, double y) {
    }

    /** A token used in an arithmetic: its id, label and length ‖e‖. */
    public record Operand(int id, String label, double norm) {
    }

    /**
     * r = a − b + c on the tokens' embeddings: its length ‖r‖, its place (x, y) in the 2-D picture, and the tokens
     * nearest r by cosine, best first, a, b and c left out (r is usually nearest a itself).
     */
    public record Arithmetic(Operand a, Operand b, Operand c, double norm, double x, double y,
                             List<Neighbour> neighbours) {
    }

    private final float[][] vectors;   // (V, C)
    private final double[] norms;      // (V)
    private final BytePairEncoding tokenizer;
    private final double[] mean;       // (C) the embeddings' mean, subtracted before projecting
    private final double[][] axes;     // (2, C) the top two principal directions u₁, u₂
    private final List<Point> projection;

    public EmbeddingSpace(float[][] vectors, BytePairEncoding tokenizer) {
        this.vectors = vectors;
        this.tokenizer = tokenizer;
        norms = new double[vectors.length];
        for (int v = 0; v < vectors.length; v++) {
            norms[v] = Math.sqrt(VectorMath.dot(vectors[v], vectors[v]));
        }
        mean = mean(vectors);
        double[][] centred = new double[vectors.length][];
        for (int v = 0; v < vectors.length; v++) {
            centred[v] = centre(toDouble(vectors[v]));
        }
        double[] first = principal(centred, null);
        axes = new double[][] {first, principal(centred, first)};
        List<Point> points = new ArrayList<>();
        for (int v = 0; v < vectors.length; v++) {
            points.add(new Point(v, tokenizer.tokenLabel(v), VectorMath.dot(centred[v], axes[0]),
                    VectorMath.dot(centred[v], axes[1])));
        }
        projection = List.copyOf(points);
    }

    /** The {@code count} tokens most similar to token {@code id}, best first, itself excluded. */
    public List<Neighbour> nearest(int id, int count) {
        return nearest(toDouble(vectors[id]), count, Set.of(id));
    }

    /**
     * r = W_E[a] − W_E[b] + W_E[c] and the {@code count} tokens nearest it by cosine, a, b and c excluded.
     *
     * @param a a token id, 0..V − 1 (so are b and c)
     */
    public Arithmetic arithmetic(int a, int b, int c, int count) {
        int width = vectors[0].length;
        double[] r = new double[width];
        for (int k = 0; k < width; k++) {
            r[k] = (double) vectors[a][k] - vectors[b][k] + vectors[c][k];
        }
        double[] place = centre(r.clone());
        return new Arithmetic(operand(a), operand(b), operand(c), Math.sqrt(VectorMath.dot(r, r)),
                VectorMath.dot(place, axes[0]), VectorMath.dot(place, axes[1]), nearest(r, count, Set.of(a, b, c)));
    }

    /** Token {@code id}'s length ‖W_E[id]‖. */
    public double norm(int id) {
        return norms[id];
    }

    /** Every token's place (x, y) = ((e − μ)·u₁, (e − μ)·u₂), in token-id order, V points. */
    public List<Point> projection() {
        return projection;
    }

    /** V, the number of tokens. */
    public int size() {
        return vectors.length;
    }

    private Operand operand(int id) {
        return new Operand(id, tokenizer.tokenLabel(id), norms[id]);
    }

    /** Every token but {@code excluded} ranked by cos(q, e) = q·e / (‖q‖ ‖e‖), the first {@code count}. */
    private List<Neighbour> nearest(double[] q, int count, Set<Integer> excluded) {
        double qNorm = Math.sqrt(VectorMath.dot(q, q));
        double[] dots = new double[vectors.length];
        double[] cosines = new double[vectors.length];
        for (int v = 0; v < vectors.length; v++) {
            dots[v] = dot(q, vectors[v]);
            double lengths = qNorm * norms[v];
            cosines[v] = lengths == 0 ? 0 : dots[v] / lengths;    // a zero vector points nowhere: cosine 0
        }
        return IntStream.range(0, vectors.length).filter(v -> !excluded.contains(v)).boxed()
                .sorted(Comparator.comparingDouble((Integer v) -> -cosines[v]).thenComparingInt(v -> v))
                .limit(count)
                .map(v -> new Neighbour(v, tokenizer.tokenLabel(v), cosines[v], dots[v], norms[v]))
                .toList();
    }

    private static double dot(double[] a, float[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            s += a[k] * b[k];
        }
        return s;
    }

    private static double[] toDouble(float[] v) {
        double[] out = new double[v.length];
        for (int k = 0; k < v.length; k++) {
            out[k] = v[k];
        }
        return out;
    }

    private static double[] mean(float[][] vectors) {
        double[] mean = new double[vectors[0].length];
        for (float[] e : vectors) {
            for (int k = 0; k < mean.length; k++) {
                mean[k] += e[k] / (double) vectors.length;
            }
        }
        return mean;
    }

    /** v − mean, in place: the projection is of the centred cloud, x = (e − μ)·u₁, y = (e − μ)·u₂. */
    private double[] centre(double[] v) {
        for (int k = 0; k < v.length; k++) {
            v[k] -= mean[k];
        }
        return v;
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
