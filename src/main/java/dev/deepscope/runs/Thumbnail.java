package dev.deepscope.runs;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import javax.imageio.ImageIO;

/**
 * A history entry's picture as a PNG {@code data:} URL (our CSP allows {@code img-src data:}), a few hundred
 * bytes, so the history list needs no second request per entry.
 */
public final class Thumbnail {

    private Thumbnail() {
    }

    /** A grey image, row by row, intensities in 0..1 (white = 1), e.g. a 28×28 digit. */
    public static String grey(float[] pixels, int width) {
        int height = pixels.length / width;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        for (int i = 0; i < width * height; i++) {
            int v = Math.round(Math.max(0, Math.min(1, pixels[i])) * 255);
            image.getRaster().setSample(i % width, i / width, 0, v);
        }
        return png(image);
    }

    /** Any small picture a worker drew. */
    public static String png(BufferedImage image) {
        try (ByteArrayOutputStream png = new ByteArrayOutputStream()) {
            ImageIO.write(image, "png", png);
            return "data:image/png;base64," + Base64.getEncoder().encodeToString(png.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
