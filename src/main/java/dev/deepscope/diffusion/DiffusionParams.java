package dev.deepscope.diffusion;

import dev.deepscope.errors.InvalidFieldException;
import dev.deepscope.errors.WellFormedText;
import dev.deepscope.runs.Seeded;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A {@code diffuse} run's params: a digit 0..9, a prompt of at most 200 characters, or neither (unconditional);
 * guidance w in 0..30 (3); steps 1..1000 (50); sampler ddpm or ddim (ddim); space pixel or latent (pixel);
 * seed (0); {@code noise}, to stream ε_cond and ε_uncond too (false); and {@code inside}, to stream the
 * U-Net's feature maps and cross-attention on some steps (false). Boxed so a missing value takes its
 * default and a wrong one is an error, never a silent zero. A run makes one image; {@link SampleRequest} asks
 * for several without streaming them.
 */
@Schema(description = "A diffuse run's params: a digit, a prompt or neither (unconditional); missing values take "
        + "their defaults.")
public record DiffusionParams(
        @Schema(description = "the digit to draw (not with a prompt)", minimum = "0", maximum = "9") Integer digit,
        @Schema(description = "free text CLIP reads (not with a digit)", maxLength = DiffusionParams.MAX_PROMPT)
        String prompt,
        @Schema(description = "classifier-free guidance w", minimum = "0", maximum = "30", defaultValue = "3")
        Double guidance,
        @Schema(description = "denoising steps", minimum = "1", maximum = "" + NoiseSchedule.T, defaultValue = "50")
        Integer steps,
        @Schema(allowableValues = {"ddpm", "ddim"}, defaultValue = "ddim") String sampler,
        @Schema(allowableValues = {"pixel", "latent"}, defaultValue = "pixel") String space,
        @Schema(defaultValue = "0") Long seed,
        @Schema(description = "a run also streams ε_cond and ε_uncond", defaultValue = "false") Boolean noise,
        @Schema(description = "a run's step events also carry the U-Net's feature maps and cross-attention weights "
                + "(on at most 10 evenly spaced steps and the last)", defaultValue = "false") Boolean inside,
        @Schema(description = "switch the condition to another prompt or digit from a step on") SwitchPrompt switchPrompt)
        implements Seeded {

    /**
     * From step {@code atStep} (1..steps−1, counted from 0 at pure noise) on, the U-Net is conditioned on
     * {@code prompt} or {@code digit} instead; the steps before are those of the run without the switch.
     */
    @Schema(description = "From step atStep (1..steps−1) on, condition on this prompt or digit instead")
    public record SwitchPrompt(
            @Schema(description = "the first step with the new condition", minimum = "1") Integer atStep,
            @Schema(description = "the digit to switch to (not with a prompt)", minimum = "0", maximum = "9") Integer digit,
            @Schema(description = "the prompt to switch to (not with a digit)", maxLength = DiffusionParams.MAX_PROMPT)
            String prompt) {

        void validate(int steps) {
            if (atStep == null || atStep < 1 || atStep > steps - 1) {
                throw new InvalidFieldException("switchPrompt.atStep", "must be a step 1.." + (steps - 1) + ", not " + atStep);
            }
            if (digit != null && (digit < 0 || digit > 9)) {
                throw new InvalidFieldException("switchPrompt.digit", "must be a digit 0..9, not " + digit);
            }
            if (prompt != null && prompt.length() > MAX_PROMPT) {
                throw new InvalidFieldException("switchPrompt.prompt", "must be at most " + MAX_PROMPT
                        + " characters, not " + prompt.length());
            }
            WellFormedText.check("switchPrompt.prompt", prompt);
            boolean hasPrompt = prompt != null && !prompt.isBlank();
            if (hasPrompt == (digit != null)) {
                throw new InvalidFieldException("switchPrompt.prompt", hasPrompt
                        ? "must not come with switchPrompt.digit: switch to a digit or a prompt, not both"
                        : "is missing, and so is switchPrompt.digit: switch to a digit or a prompt");
            }
        }

        String conditionText() {
            return Conditions.text(digit, prompt);
        }
    }

    public static final int MAX_PROMPT = 200;

    /** Throws {@link InvalidFieldException} naming the first field out of bounds. */
    public void validate() {
        if (digit != null && (digit < 0 || digit > 9)) {
            throw new InvalidFieldException("digit", "must be a digit 0..9, not " + digit);
        }
        if (prompt != null && prompt.length() > MAX_PROMPT) {
            throw new InvalidFieldException("prompt", "must be at most " + MAX_PROMPT + " characters, not "
                    + prompt.length());
        }
        WellFormedText.check("prompt", prompt);
        if (digit != null && prompt != null && !prompt.isBlank()) {
            throw new InvalidFieldException("prompt", "must not come with a digit: ask for a digit or a prompt, not both");
        }
        if (guidance != null && (guidance.isNaN() || guidance < 0 || guidance > 30)) {
            throw new InvalidFieldException("guidance", "must be a number in 0..30, not " + guidance);
        }
        if (steps != null && (steps < 1 || steps > NoiseSchedule.T)) {
            throw new InvalidFieldException("steps", "must be 1..1000, not " + steps);
        }
        if (sampler != null && !sampler.equals("ddpm") && !sampler.equals("ddim")) {
            throw new InvalidFieldException("sampler", "must be ddpm or ddim, not '" + sampler + "'");
        }
        if (space != null && !space.equals("pixel") && !space.equals("latent")) {
            throw new InvalidFieldException("space", "must be pixel or latent, not '" + space + "'");
        }
        if (switchPrompt != null) {
            switchPrompt.validate(stepsOrDefault());
        }
    }

    public double guidanceOrDefault() {
        return guidance == null ? 3.0 : guidance;
    }

    public int stepsOrDefault() {
        return steps == null ? 50 : steps;
    }

    public Sampler.Kind samplerKind() {
        return "ddpm".equals(sampler) ? Sampler.Kind.DDPM : Sampler.Kind.DDIM;
    }

    public Space spaceKind() {
        return "latent".equals(space) ? Space.LATENT : Space.PIXEL;
    }

    public long seedOrDefault() {
        return seed == null ? 0L : seed;
    }

    public boolean wantsNoise() {
        return Boolean.TRUE.equals(noise);
    }

    public boolean wantsInside() {
        return Boolean.TRUE.equals(inside);
    }

    /** The same params with every default written out: what a run actually used, for a form to show. */
    public DiffusionParams withDefaults() {
        return new DiffusionParams(digit, prompt, guidanceOrDefault(), stepsOrDefault(),
                samplerKind().name().toLowerCase(), spaceKind().name().toLowerCase(), seedOrDefault(), wantsNoise(),
                wantsInside(), switchPrompt);
    }

    /** The text whose CLIP encoding conditions the U-Net ("" = unconditional). */
    public String conditionText() {
        return Conditions.text(digit, prompt);
    }

    /** What to compute for {@code count} images with these (valid) params. */
    public Recipe recipe(int count) {
        return new Recipe(conditionText(), guidanceOrDefault(), stepsOrDefault(), samplerKind(), spaceKind(),
                seedOrDefault(), count, switchPrompt == null ? null : switchPrompt.conditionText(),
                switchPrompt == null ? 0 : switchPrompt.atStep());
    }

    /** A short line for history lists. */
    public String describe() {
        String what = prompt != null && !prompt.isBlank() ? "“" + prompt + "”"
                : digit != null ? "digit " + digit : "any digit";
        if (switchPrompt != null) {
            what += " → " + (switchPrompt.prompt() != null && !switchPrompt.prompt().isBlank()
                    ? "“" + switchPrompt.prompt() + "”" : "digit " + switchPrompt.digit()) + " at step " + switchPrompt.atStep();
        }
        return what + ", w = " + guidanceOrDefault() + ", " + stepsOrDefault() + " " + samplerKind().name()
                + " steps, " + spaceKind().name().toLowerCase() + ", seed " + seedOrDefault();
    }
}
