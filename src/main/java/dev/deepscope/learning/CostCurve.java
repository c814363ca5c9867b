package dev.deepscope.learning;

import dev.deepscope.runs.Thumbnail;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * A training run's cost C over its steps, thinned to at most {@value #POINTS} points (every k-th metric, k
 * doubling whenever the list fills), so it fits in the run's result; and its picture for the history panel.
 */
final class CostCurve {

    static final int POINTS = 64;
    private static final int SIDE = 56;

    private final List<Double> costs = new ArrayList<>();
    private int every = 1;
    private int seen;

    /** Called with each metric's cost, in step order. */
    void add(double cost) {
        if (seen++ % every == 0) {
            costs.add(cost);
            if (costs.size() == POINTS) {
                // keep every other point and take half as many from now on
                for (int i = costs.size() - 1; i > 0; i -= 2) {
                    costs.remove(i);
                }
                every *= 2;
            }
        }
    }

    List<Double> costs() {
        return List.copyOf(costs);
    }

    /**
     * The curve on a white square, C = 0 at the bottom and the largest C at the top, so a learning network
     * falls to the right and a stuck one stays flat; null without at least two finite points.
     */
    static String thumbnail(List<Double> costs) {
        List<Double> finite = costs.stream().filter(Double::isFinite).toList();
        if (finite.size() < 2) {
            return null;
        }
        double top = Math.max(1e-9, finite.stream().mapToDouble(Double::doubleValue).max().orElse(1));
        BufferedImage image = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, SIDE, SIDE);
            g.setColor(new Color(0xdfe2e8));
            g.drawLine(3, SIDE - 4, SIDE - 3, SIDE - 4);
            Path2D.Double line = new Path2D.Double();
            for (int i = 0; i < finite.size(); i++) {
                double x = 3 + (SIDE - 6) * i / (double) (finite.size() - 1);
                double y = SIDE - 4 - (SIDE - 8) * finite.get(i) / top;
                if (i == 0) {
                    line.moveTo(x, y);
                } else {
                    line.lineTo(x, y);
                }
            }
            g.setColor(new Color(0x2f6fdf));
            g.setStroke(new BasicStroke(2.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.draw(line);
        } finally {
            g.dispose();
        }
        return Thumbnail.png(image);
    }
}
