package dev.deepscope.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BytePairEncodingTest {

    static BytePairEncoding tokenizer;

    @BeforeAll
    static void learn() {
        // a few chapters are enough to learn 512 tokens quickly
        tokenizer = BytePairEncoding.train(MobyDick.training().substring(0, 200_000), 512);
    }

    @Test
    void learnsTheRequestedVocabularyWithCommonWordsAsSingleTokens() {
        assertThat(tokenizer.vocabularySize()).isEqualTo(512);
        assertThat(tokenizer.encode(" the")).hasSize(1);
        assertThat(tokenizer.encode(" whale")).hasSizeLessThanOrEqualTo(2);
        String text = MobyDick.heldOut().substring(0, 5000);
        assertThat(tokenizer.encode(text).length).isLessThan(text.length() / 2);   // it compresses
    }

    @Test
    void roundTripsAnyTextIncludingUnicodeAndNothing() {
        String[] texts = {"", " ", "\n\n", "Call me Ishmael.", "naïve café — “quoted” ’tis", "鯨 🐋 עברית",
            "tabs\tand  double  spaces  ", "1851, 2,000 tons!!!", "\u0000\u007f"};
        for (String text : texts) {
            assertThat(tokenizer.decode(tokenizer.encode(text))).isEqualTo(text);
        }
        assertThat(tokenizer.encode("")).isEmpty();
        Random random = new Random(42);
        for (int n = 0; n < 200; n++) {
            StringBuilder s = new StringBuilder();
            for (int i = random.nextInt(40); i > 0; i--) {
                int codePoint;
                do {
                    codePoint = random.nextInt(4) == 0 ? random.nextInt(0x1F700) : 32 + random.nextInt(95);
                } while (Character.isSurrogate((char) codePoint) && codePoint < 0x10000);
                s.appendCodePoint(codePoint);
            }
            assertThat(tokenizer.decode(tokenizer.encode(s.toString()))).isEqualTo(s.toString());
        }
    }

    @Test
    void savedAndReadBackItEncodesTheSame(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tokenizer.json");
        tokenizer.save(file);
        BytePairEncoding read = BytePairEncoding.read(new ByteArrayInputStream(Files.readAllBytes(file)));
        String text = MobyDick.heldOut().substring(0, 3000);
        assertThat(read.encode(text)).containsExactly(tokenizer.encode(text));
        assertThat(read.vocabularySize()).isEqualTo(512);
    }

    @Test
    void theHeldOutChaptersAreNotInTheTrainingText() {
        String heldOut = MobyDick.heldOut();
        assertThat(heldOut).startsWith("CHAPTER 131.");
        assertThat(heldOut).contains("Epilogue");
        assertThat(MobyDick.training()).doesNotContain("CHAPTER 131.").contains("CHAPTER 130.");
    }
}
