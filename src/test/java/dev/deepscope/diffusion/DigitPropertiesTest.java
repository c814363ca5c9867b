package dev.deepscope.diffusion;

import dev.deepscope.diffusion.DigitProperties.Property;
import java.util.Random;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

/** The measurements on drawn shapes whose answers are known, and captions that claim only what holds. */
class DigitPropertiesTest {

    /** A bar of the given width from row 6 to row 21, its column shifted by {@code shear} per row up. */
    private static float[] bar(int width, double shear, int left) {
        float[] p = new float[784];
        for (int y = 6; y < 22; y++) {
            int x0 = left + (int) Math.round((21 - y) * shear);
            for (int x = x0; x < x0 + width; x++) {
                p[y * 28 + x] = 1f;
            }
        }
        return p;
    }

    @Test
    void thicknessIsTheStrokeWidth() {
        // 2A/P for a w × 16 bar is 2·16w / (2·16 + 2w): 1.78 for w = 2, 3.2 for w = 4
        assertThat(DigitProperties.of(bar(2, 0, 12)).thickness()).isCloseTo(2 * 32.0 / 36, offset(1e-9));
        assertThat(DigitProperties.of(bar(4, 0, 12)).thickness()).isCloseTo(2 * 64.0 / 40, offset(1e-9));
    }

    @Test
    void slantSizeAndPositionFollowTheShape() {
        DigitProperties upright = DigitProperties.of(bar(2, 0, 13));
        DigitProperties right = DigitProperties.of(bar(2, 0.4, 10));
        assertThat(upright.slant()).isCloseTo(0, offset(1e-9));
        assertThat(right.slant()).isCloseTo(0.4, offset(0.05));
        assertThat(DigitProperties.of(bar(2, -0.4, 16)).slant()).isCloseTo(-0.4, offset(0.05));
        assertThat(upright.x()).isCloseTo(0, offset(1e-9));
        assertThat(DigitProperties.of(bar(2, 0, 5)).x()).isCloseTo(-8, offset(1e-9));
        assertThat(upright.y()).isCloseTo(0, offset(1e-9));
        // a 2 × 16 bar: √(var x + var y) = √(0.25 + (16² − 1)/12)
        assertThat(upright.size()).isCloseTo(Math.sqrt(0.25 + 255 / 12.0), offset(1e-9));
        assertThat(DigitProperties.of(new float[784]).size()).isZero();
    }

    @Test
    void aCaptionClaimsOnlyWhatWasMeasured() {
        int[] levels = {PropertyScale.HIGH, PropertyScale.LOW, PropertyScale.MIDDLE, PropertyScale.LOW, PropertyScale.HIGH};
        Random random = new Random(1);
        for (int i = 0; i < 500; i++) {
            PropertyCaptions.Caption caption = PropertyCaptions.describe(4, levels, random);
            assertThat(caption.fits(4, levels)).as(caption.text()).isTrue();
            assertThat(caption.fits(5, levels)).isFalse();
            assertThat(dev.deepscope.engine.clip.Vocabulary.read(caption.text()).read()).as(caption.text())
                    .doesNotContain("thin", "big", "large", "slanted", "leaning", "right", "top");
            assertThat(dev.deepscope.engine.clip.Vocabulary.read(caption.text()).unknown()).as(caption.text()).isEmpty();
            assertThat(dev.deepscope.engine.clip.Vocabulary.read(caption.text()).dropped()).as(caption.text()).isEmpty();
        }
        assertThat(dev.deepscope.diffusion.training.PropertyEvaluation.prompt(Property.THICKNESS, 4, true)).isEqualTo("a bold 4");
        assertThat(dev.deepscope.diffusion.training.PropertyEvaluation.prompt(Property.SLANT, 8, false)).isEqualTo("an 8 slanted left");
    }
}
