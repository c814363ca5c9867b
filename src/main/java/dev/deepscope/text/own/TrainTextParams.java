package dev.deepscope.text.own;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.NOT_REQUIRED;

import dev.deepscope.errors.InvalidFieldException;
import dev.deepscope.errors.WellFormedText;
import dev.deepscope.runs.Seeded;
import dev.deepscope.text.training.MobyDick;
import io.swagger.v3.oas.annotations.media.Schema;
import java.nio.charset.StandardCharsets;

/**
 * A {@code train-text} run's params: the text to learn (pasted, or a chapter of Moby-Dick: exactly one of the
 * two), how long to train, the tokenizer and the seed. Missing values take the defaults in parentheses.
 *
 * @param text      1,000 characters .. 100 KB of UTF-8, pasted by the learner
 * @param chapter   a chapter of Moby-Dick, 1..135, instead of {@code text}
 * @param seconds   1..120 seconds of training (60)
 * @param tokenizer {@code char} (one token per character of the text) or {@code bpe} (our byte-pair encoding,
 *                  learned on the text's training part, {@link OwnTokenizer#BPE_MERGES} merges) (char)
 * @param seed      the starting weights, the batches and the samples' draws (0)
 */
@Schema(description = "A train-text run's params: text or chapter (exactly one); the rest take their defaults.")
public record TrainTextParams(
        @Schema(requiredMode = NOT_REQUIRED, description = "the text to learn, 1,000 characters to 100 KB (UTF-8)",
                minLength = TrainTextParams.MIN_CHARACTERS)
        String text,
        @Schema(requiredMode = NOT_REQUIRED, description = "a Moby-Dick chapter instead of text", minimum = "1",
                maximum = "" + MobyDick.LAST_CHAPTER)
        Integer chapter,
        @Schema(minimum = "1", maximum = "" + TrainTextParams.MAX_SECONDS, defaultValue = "60") Integer seconds,
        @Schema(allowableValues = {"char", "bpe"}, defaultValue = "char") String tokenizer,
        @Schema(description = "the same params and seed train the same way", defaultValue = "0") Long seed)
        implements Seeded {

    public static final int MAX_BYTES = 100 * 1024;
    public static final int MIN_CHARACTERS = 1000;
    /** The fewest training tokens: one full context window and the next token, and one more to choose a start. */
    static final int MIN_TOKENS = TinyGptTraining.CONTEXT + 2;
    public static final int MAX_SECONDS = 120;

    public TrainTextParams {
        seconds = seconds == null ? 60 : seconds;
        tokenizer = tokenizer == null ? "char" : tokenizer;
        seed = seed == null ? 0L : seed;
    }

    /** Rejects what cannot be trained on, naming the field. */
    void validate() {
        if (text != null && chapter != null) {
            throw new InvalidFieldException("text", "must not come with a chapter: give one of text or chapter");
        }
        if (text == null && chapter == null) {
            throw new InvalidFieldException("text", "is required (or a Moby-Dick chapter in chapter)");
        }
        if (text != null) {
            WellFormedText.check("text", text);
            int bytes = text.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > MAX_BYTES) {
                throw new InvalidFieldException("text", "must be at most " + MAX_BYTES + " bytes of UTF-8 (100 KB), was " + bytes);
            }
        }
        if (chapter != null && (chapter < 1 || chapter > MobyDick.LAST_CHAPTER)) {
            throw new InvalidFieldException("chapter", "must be a Moby-Dick chapter 1.." + MobyDick.LAST_CHAPTER + ", was " + chapter);
        }
        String source = source();
        int characters = source.codePointCount(0, source.length());
        if (characters < MIN_CHARACTERS) {
            throw new InvalidFieldException(text != null ? "text" : "chapter", "must have at least " + MIN_CHARACTERS
                    + " characters to learn from and hold a tenth out, had " + characters);
        }
        if (seconds < 1 || seconds > MAX_SECONDS) {
            throw new InvalidFieldException("seconds", "must be 1.." + MAX_SECONDS + ", was " + seconds);
        }
        if (!tokenizer.equals("char") && !tokenizer.equals("bpe")) {
            throw new InvalidFieldException("tokenizer", "must be char or bpe, was " + tokenizer);
        }
        if (tokenizer.equals("char")) {
            long distinct = source.codePoints().distinct().count();
            if (distinct > OwnTokenizer.MAX_CHARACTERS) {
                throw new InvalidFieldException("tokenizer", "char gives one token per distinct character, and the"
                        + " text has " + distinct + " (at most " + OwnTokenizer.MAX_CHARACTERS + "): choose bpe");
            }
        }
        // BPE squeezes a repetitive text ("aaaa…") into a handful of tokens: too few to fill one context window.
        // Learning the merges here (0.2 s for 90 KB, off the event loop) and again in the run is the price of a 400
        // instead of a run that fails after it was accepted
        String trainingText = trainingText();
        OwnTokenizer tokens = OwnTokenizer.of(tokenizer, source, trainingText);
        int training = tokens.encode(trainingText).length;
        int heldOut = tokens.encode(heldOutText()).length;
        if (training < MIN_TOKENS || heldOut < 2) {
            throw new InvalidFieldException(text != null ? "text" : "chapter", tokenizer + " turns it into " + training
                    + " training and " + heldOut + " held-out tokens; at least " + MIN_TOKENS + " and 2 are needed"
                    + " (a longer or more varied text" + (tokenizer.equals("bpe") ? ", or char)" : ")"));
        }
    }

    /** The first nine tenths of the text (by characters): what the model trains on. */
    String trainingText() {
        String source = source();
        return source.substring(0, cut(source));
    }

    /** The last tenth, never trained on: held-out bits per character are measured on it. */
    String heldOutText() {
        String source = source();
        return source.substring(cut(source));
    }

    private static int cut(String source) {
        return source.offsetByCodePoints(0,
                (int) Math.round(source.codePointCount(0, source.length()) * (1 - TrainTextRun.HELD_OUT)));
    }

    /** The text to learn: the pasted one, or the chapter's. */
    String source() {
        return text != null ? text : MobyDick.chapter(chapter);
    }

    /** For the history: "Moby-Dick chapter 3" or the pasted text's first words. */
    String describe() {
        if (chapter != null) {
            return "Moby-Dick chapter " + chapter;
        }
        String start = text == null ? "" : text.strip().replaceAll("\\s+", " ");
        return "“" + (start.codePointCount(0, start.length()) > 40
                ? start.substring(0, start.offsetByCodePoints(0, 40)).stripTrailing() + "…" : start) + "”";
    }
}
