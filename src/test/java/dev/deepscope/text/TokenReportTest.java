package dev.deepscope.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TokenReportTest {

    /** The fast rounding agrees with BigDecimal's to 4 significant digits (bar exact decimal ties, which floats rarely hit). */
    @Test
    void significantRoundsToFourDigitsLikeBigDecimal() {
        Random random = new Random(3);
        MathContext four = new MathContext(4, RoundingMode.HALF_EVEN);
        for (int i = 0; i < 100_000; i++) {
            double x = (random.nextBoolean() ? -1 : 1) * Math.pow(10, random.nextDouble() * 24 - 12) * random.nextDouble();
            double expected = new BigDecimal(x).round(four).doubleValue();
            assertThat(TokenReport.significant(x)).as("%s", x).isEqualTo(expected);
        }
        assertThat(TokenReport.significant(0.123456)).isEqualTo(0.1235);
        assertThat(TokenReport.significant(98765.4)).isEqualTo(98770.0);
        assertThat(TokenReport.significant(0)).isZero();
    }
}
