package dev.deepscope.text.own;

import dev.deepscope.errors.InvalidFieldException;
import dev.deepscope.errors.WellFormedText;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * What to write with a trained model. Missing values take the defaults in parentheses.
 *
 * @param prompt      0..500 characters to continue; empty starts from the text's first token ("")
 * @param maxTokens   1..400 tokens to write (200)
 * @param temperature 0..2; 0 always takes the most likely token (0.8)
 * @param seed        the same request and seed write the same text (0)
 */
@Schema(description = "Writing with a model a train-text run trained; missing values take their defaults.")
record GenerateRequest(
        @Schema(maxLength = GenerateRequest.MAX_PROMPT, defaultValue = "") String prompt,
        @Schema(minimum = "1", maximum = "" + GenerateRequest.MAX_TOKENS, defaultValue = "200") Integer maxTokens,
        @Schema(minimum = "0", maximum = "2", defaultValue = "0.8") Double temperature,
        @Schema(defaultValue = "0") Long seed) {

    static final int MAX_PROMPT = 500;
    static final int MAX_TOKENS = 400;

    GenerateRequest {
        prompt = prompt == null ? "" : prompt;
        maxTokens = maxTokens == null ? 200 : maxTokens;
        temperature = temperature == null ? 0.8 : temperature;
        seed = seed == null ? 0L : seed;
    }

    void validate() {
        if (prompt.length() > MAX_PROMPT) {
            throw new InvalidFieldException("prompt", "must be at most " + MAX_PROMPT + " characters, was " + prompt.length());
        }
        WellFormedText.check("prompt", prompt);
        if (maxTokens < 1 || maxTokens > MAX_TOKENS) {
            throw new InvalidFieldException("maxTokens", "must be 1.." + MAX_TOKENS + ", was " + maxTokens);
        }
        if (!(temperature >= 0 && temperature <= 2)) {
            throw new InvalidFieldException("temperature", "must be 0..2 (0 = the most likely token), was " + temperature);
        }
    }
}
