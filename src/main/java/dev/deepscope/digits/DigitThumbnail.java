package dev.deepscope.digits;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import javax.imageio.ImageIO;

/** A drawn digit as a 28×28 grey PNG data: URL, for history lists (a few hundred bytes). */
final class DigitThumbnail {

    private DigitThumbnail() {
    }

    static String dataUrl(float[] pixels) {
        BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int i = 0; i < pixels.length; i++) {
            int v = Math.round(Math.max(0, Math.min(1, pixels[i])) * 255);
            image.getRaster().setSample(i % 28, i / 28, 0, v);
        }
        try (ByteArrayOutputStream png = new ByteArrayOutputStream()) {
            ImageIO.write(image, "png", png);
            return "data:image/png;base64," + Base64.getEncoder().encodeToString(png.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
