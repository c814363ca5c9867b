package dev.deepscope.text;

import dev.deepscope.runs.Thumbnail;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;

/**
 * A generate run in miniature for the history panel: a page where each word is a bar as long as the word,
 * the prompt's in grey and the written text's in blue, so a glance shows how much the model wrote.
 */
final class TextThumbnail {

    private static final int SIDE = 56;
    private static final int MARGIN = 4;
    private static final int LINE = 6;
    private static final Color PROMPT = new Color(0x9aa1ad);
    private static final Color WRITTEN = new Color(0x2f6fdf);

    private TextThumbnail() {
    }

    static String of(String prompt, String written) {
        BufferedImage image = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, SIDE, SIDE);
            int[] at = {MARGIN, MARGIN};
            words(g, prompt, PROMPT, at);
            words(g, written, WRITTEN, at);
        } finally {
            g.dispose();
        }
        return Thumbnail.png(image);
    }

    /** Lays the words out left to right, wrapping like text; {@code at} is the pen position {x, y}. */
    private static void words(Graphics2D g, String text, Color color, int[] at) {
        g.setColor(color);
        for (String word : text.strip().split("\\s+")) {
            if (word.isEmpty() || at[1] + LINE > SIDE - MARGIN) {
                continue;
            }
            int width = Math.min(SIDE - 2 * MARGIN, 2 + 2 * word.codePointCount(0, word.length()));
            if (at[0] + width > SIDE - MARGIN) {
                at[0] = MARGIN;
                at[1] += LINE;
                if (at[1] + LINE > SIDE - MARGIN) {
                    return;
                }
            }
            g.fillRect(at[0], at[1], width, LINE - 2);
            at[0] += width + 3;
        }
    }
}
