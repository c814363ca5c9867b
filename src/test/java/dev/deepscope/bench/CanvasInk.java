package dev.deepscope.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Image;
import java.awt.RenderingHints;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * A drawing as the person sees it on the /digits pad, and that bitmap made MNIST-like the classic way.
 *
 * <p>{@link #draw} inks like {@code ink()} in {@code frontend/src/js/digit-pad.js}: a 280×280 black canvas,
 * white segments from point to point with round caps and joins, antialiased (Java2D standing in for the
 * browser's canvas). The page never sends this bitmap (see {@link PadPixels}); {@link #mnistLike} is what a
 * client that shrinks the canvas would send: MNIST's own recipe (LeCun et al.) — the ink's bounding box
 * scaled, aspect kept, to fit 20×20 by area averaging, then placed so its centre of mass is the centre of
 * 28×28. That path is where the pen's width reaches the network, so it shows how the models cope with it.
 */
final class CanvasInk {

    /** The pad's canvas: {@code <canvas id="pad" width="280" height="280">}. */
    static final int CANVAS = 280;
    /** The pad's pen: {@code ctx.lineWidth = canvas.width / 16}. */
    static final double DEFAULT_PEN = CANVAS / 16.0;

    private CanvasInk() {
    }

    /** The strokes inked on the pad's canvas with a pen {@code lineWidth} canvas pixels wide. */
    static BufferedImage draw(List<DrawnDigitStrokes.Stroke> strokes, double lineWidth) {
        BufferedImage image = new BufferedImage(CANVAS, CANVAS, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.BLACK);
        g.fillRect(0, 0, CANVAS, CANVAS);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setColor(Color.WHITE);
        g.setStroke(new BasicStroke((float) lineWidth, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        for (DrawnDigitStrokes.Stroke s : strokes) {
            List<double[]> p = s.points();
            for (int i = 0; i < p.size(); i++) {
                double[] from = p.get(Math.max(0, i - 1)), to = p.get(i);   // pointerdown inks a dot, then each move
                g.draw(new Line2D.Double(from[0], from[1], to[0], to[1]));
            }
        }
        g.dispose();
        return image;
    }

    /** The bitmap's ink (bounding box → 20×20, aspect kept) centred by mass in 28×28: 784 values in 0..1. */
    static float[] mnistLike(BufferedImage canvas) {
        int x0 = CANVAS, y0 = CANVAS, x1 = -1, y1 = -1;
        for (int y = 0; y < CANVAS; y++) {
            for (int x = 0; x < CANVAS; x++) {
                if (canvas.getRaster().getSample(x, y, 0) > 0) {
                    x0 = Math.min(x0, x);
                    x1 = Math.max(x1, x);
                    y0 = Math.min(y0, y);
                    y1 = Math.max(y1, y);
                }
            }
        }
        float[] out = new float[28 * 28];
        if (x1 < 0) {
            return out;
        }
        int w = x1 - x0 + 1, h = y1 - y0 + 1;
        double scale = 20.0 / Math.max(w, h);
        int sw = Math.max(1, (int) Math.round(w * scale)), sh = Math.max(1, (int) Math.round(h * scale));
        Image small = canvas.getSubimage(x0, y0, w, h).getScaledInstance(sw, sh, Image.SCALE_AREA_AVERAGING);
        BufferedImage box = new BufferedImage(sw, sh, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = box.createGraphics();
        g.drawImage(small, 0, 0, null);
        g.dispose();
        double mass = 0, mx = 0, my = 0;
        for (int y = 0; y < sh; y++) {
            for (int x = 0; x < sw; x++) {
                double v = box.getRaster().getSample(x, y, 0) / 255.0;
                mass += v;
                mx += v * x;
                my += v * y;
            }
        }
        // MNIST moved whole pixels: the centre of mass lands on the pixel nearest the middle (13.5, 13.5)
        int dx = (int) Math.round(13.5 - mx / mass), dy = (int) Math.round(13.5 - my / mass);
        for (int y = 0; y < sh; y++) {
            for (int x = 0; x < sw; x++) {
                int tx = x + dx, ty = y + dy;
                if (tx >= 0 && tx < 28 && ty >= 0 && ty < 28) {
                    out[ty * 28 + tx] = box.getRaster().getSample(x, y, 0) / 255f;
                }
            }
        }
        return out;
    }
}
