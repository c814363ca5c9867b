package dev.deepscope.text;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import dev.deepscope.errors.InvalidFieldException;
import dev.deepscope.errors.WellFormedText;
import dev.deepscope.runs.Seeded;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A {@code generate} run's params and their bounds. Missing values take the defaults in parentheses.
 *
 * @param prompt      1..2000 characters
 * @param maxTokens   1..512 tokens to write (100)
 * @param temperature 0..5; 0 always takes the most likely token (0.8)
 * @param topK        0..V; keep only the k most likely tokens, 0 keeps all (40)
 * @param topP        (0, 1]; keep the fewest tokens whose probability reaches p (0.95)
 * @param seed        the random source's seed: the same params and seed write the same text (0)
 * @param attention   also stream every head's attention pattern per token (false)
 */
@Schema(description = "A generate run's params; missing ones take their defaults.")
public record GenerateParams(
        @Schema(requiredMode = REQUIRED, minLength = 1, maxLength = GenerateParams.MAX_PROMPT) String prompt,
        @Schema(minimum = "1", maximum = "" + GenerateParams.MAX_TOKENS, defaultValue = "100") Integer maxTokens,
        @Schema(description = "0 always takes the most likely token", minimum = "0",
                maximum = "" + GenerateParams.MAX_TEMPERATURE, defaultValue = "0.8")
        Double temperature,
        @Schema(description = "keep the k most likely tokens, 0 keeps all; at most the model's vocabulary",
                minimum = "0", defaultValue = "40")
        Integer topK,
        @Schema(description = "keep the fewest tokens whose probability reaches p", minimum = "0",
                exclusiveMinimum = true, maximum = "1", defaultValue = "0.95")
        Double topP,
        @Schema(description = "the same params and seed write the same text", defaultValue = "0") Long seed,
        @Schema(description = "also stream every head's attention per token", defaultValue = "false")
        Boolean attention) implements Seeded {

    public static final int MAX_PROMPT = 2000;
    public static final int MAX_TOKENS = 512;
    public static final double MAX_TEMPERATURE = 5;

    public GenerateParams {
        maxTokens = maxTokens == null ? 100 : maxTokens;
        temperature = temperature == null ? 0.8 : temperature;
        topK = topK == null ? 40 : topK;
        topP = topP == null ? 0.95 : topP;
        seed = seed == null ? 0L : seed;
        attention = attention != null && attention;
    }

    void validate(int vocabulary) {
        if (prompt == null || prompt.isEmpty()) {
            throw new InvalidFieldException("prompt", "must be 1.." + MAX_PROMPT + " characters, not empty");
        }
        if (prompt.length() > MAX_PROMPT) {
            throw new InvalidFieldException("prompt", "must be at most " + MAX_PROMPT + " characters, was " + prompt.length());
        }
        WellFormedText.check("prompt", prompt);
        if (maxTokens < 1 || maxTokens > MAX_TOKENS) {
            throw new InvalidFieldException("maxTokens", "must be 1.." + MAX_TOKENS + ", was " + maxTokens);
        }
        if (!(temperature >= 0 && temperature <= MAX_TEMPERATURE)) {
            throw new InvalidFieldException("temperature", "must be 0.." + MAX_TEMPERATURE + " (0 = greedy), was " + temperature);
        }
        if (topK < 0 || topK > vocabulary) {
            throw new InvalidFieldException("topK", "must be 0.." + vocabulary + " (0 = all tokens), was " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new InvalidFieldException("topP", "must be in (0, 1], was " + topP);
        }
    }

    Sampler.Settings sampling() {
        return new Sampler.Settings(temperature, topK, topP);
    }
}
