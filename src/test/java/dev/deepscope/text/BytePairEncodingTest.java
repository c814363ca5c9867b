package dev.deepscope.text;

import dev.deepscope.text.training.MobyDick;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

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
    void aTokenThatSplitsACharacterIsLabelledByteByByteAndTheTextStillDecodesWhole() {
        // ï is C3 AF: bytes that are tokens of their own (ids 0..255) split it
        int[] ids = {'n', 'a', 0xC3, 0xAF, 'v', 0xF0, 0x9F, 0x99, 0x82};
        assertThat(tokenizer.tokenLabel(0xC3)).isEqualTo("⟨C3⟩");
        assertThat(tokenizer.tokenLabel('n')).isEqualTo("n");
        assertThat(tokenizer.tokens(ids)).extracting(TextToken::text)
                .containsExactly("n", "a", "", "ï", "v", "", "", "", "🙂");
        assertThat(tokenizer.tokens(ids)).extracting(TextToken::label)
                .containsExactly("n", "a", "⟨C3⟩", "⟨AF⟩", "v", "⟨F0⟩", "⟨9F⟩", "⟨99⟩", "⟨82⟩");
        assertThat(tokenizer.decode(ids)).isEqualTo("naïv🙂");
        // a character cut off at the end, and a stray continuation byte, come out labelled, never as U+FFFD
        assertThat(tokenizer.tokens(new int[] {'a', 0xAF, 'b', 0xE6, 0x97})).extracting(TextToken::text)
                .containsExactly("a", "⟨AF⟩", "b", "", "⟨E6⟩⟨97⟩");
        assertThat(tokenizer.decode(new int[] {0xE6, 0x97})).isEqualTo("⟨E6⟩⟨97⟩");
        // with learned merges too: no U+FFFD, and the texts join back
        String text = "naïvely café 日本";
        for (TextToken t : tokenizer.tokens(tokenizer.encode(text))) {
            assertThat(t.label()).doesNotContain("\uFFFD");
        }
        assertThat(String.join("", tokenizer.tokens(tokenizer.encode(text)).stream().map(TextToken::text).toList()))
                .isEqualTo(text);
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

    @Test
    void manyDistinctLongWordsKeepTheWordCacheUnderItsBoundInBytes(@TempDir Path dir) throws java.io.IOException {
        tokenizer.save(dir.resolve("tokenizer.json"));
        BytePairEncoding fresh;   // the same merges, an empty word cache
        try (var in = java.nio.file.Files.newInputStream(dir.resolve("tokenizer.json"))) {
            fresh = BytePairEncoding.read(in);
        }
        Random random = new Random(7);
        StringBuilder word = new StringBuilder();
        long unbounded = 0;
        for (int w = 0; w < 60; w++) {
            // 20,000 CJK letters: one word to the pre-tokeniser, 60,000 bytes that few merges touch (so it is quick)
            word.setLength(0);
            for (int i = 0; i < 20_000; i++) {
                word.append((char) (0x4E00 + random.nextInt(20_000)));
            }
            int[] ids = fresh.encode(word.toString());
            assertThat(ids).isNotEmpty();
            unbounded += BytePairEncoding.weight(word.toString(), ids);
            assertThat(fresh.cacheWeight()).isLessThanOrEqualTo(BytePairEncoding.CACHE_BYTES);
        }
        // kept all, the cache would hold several times its bound
        assertThat(unbounded).isGreaterThan(3 * BytePairEncoding.CACHE_BYTES);
        assertThat(fresh.cacheWeight()).as("it still caches").isGreaterThan(BytePairEncoding.CACHE_BYTES / 2);
        assertThat(fresh.encode(" the")).isEqualTo(tokenizer.encode(" the"));
    }
}
