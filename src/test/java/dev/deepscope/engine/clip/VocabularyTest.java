package dev.deepscope.engine.clip;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the page says CLIP read is what the encoder feeds it: one tokenisation for both. */
class VocabularyTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "a cat", "the number 1234567890 and more words than fit in the context",
            "Draw me a SEVEN, please!", "naïve café 7", "🐱 七 a 7"})
    void theReadingMatchesTheTokensTheEncoderFeeds(String text) {
        Vocabulary.Reading reading = Vocabulary.read(text);
        int[] ids = Vocabulary.encode(text);
        long fed = Arrays.stream(ids).skip(1).filter(id -> id != Vocabulary.PAD).count();
        long unknown = Arrays.stream(ids).filter(id -> id == Vocabulary.UNKNOWN).count();
        assertThat(fed).isEqualTo(reading.read().size() + reading.unknown().size());
        assertThat(unknown).isEqualTo(reading.unknown().size());
        assertThat(fed).isLessThanOrEqualTo(Vocabulary.CONTEXT - 1);
        if (!reading.dropped().isEmpty()) {
            assertThat(fed).as("words are dropped only once the context is full").isEqualTo(Vocabulary.CONTEXT - 1);
        }
    }

    @Test
    void wordsOfOtherScriptsAccentsAndEmojiAreReportedWholeAsUnknownNeverCutOrLost() {
        assertThat(Vocabulary.read("a café 7").unknown()).containsExactly("café");
        assertThat(Vocabulary.read("a 7 très bold").unknown()).containsExactly("très");
        assertThat(Vocabulary.read("七").unknown()).containsExactly("七");
        Vocabulary.Reading reading = Vocabulary.read("🐱 a 7 é ß, please!");
        assertThat(reading.read()).containsExactly("a", "7", "please");
        assertThat(reading.unknown()).containsExactly("🐱", "é", "ß");
        // punctuation and ASCII symbols still separate words, as they did
        assertThat(Vocabulary.read("a big-bold 7+1!").read()).containsExactly("a", "big", "bold", "7", "1");
    }

    @Test
    void aNumeralIsReadFigureByFigureAndCountsTowardsTheContext() {
        Vocabulary.Reading reading = Vocabulary.read("number 1234567890 seven");
        assertThat(reading.read()).containsExactly("number", "1", "2", "3", "4", "5", "6", "7", "8", "9", "0");
        assertThat(reading.dropped()).containsExactly("seven");
    }
}
