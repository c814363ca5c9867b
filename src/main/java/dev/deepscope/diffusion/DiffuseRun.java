package dev.deepscope.diffusion;

import dev.deepscope.engine.clip.Vocabulary;
import dev.deepscope.errors.InvalidFieldException;
import dev.deepscope.runs.RunContext;
import dev.deepscope.runs.RunSummary;
import dev.deepscope.runs.RunWorker;
import dev.deepscope.runs.Thumbnail;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * A {@code diffuse} run: first a {@code prompt} event {text, read, unknown, dropped} — which words of the
 * condition's text (the prompt, or the digit's caption) CLIP read — then one {@code step} event per denoising step {index, t, x, x0} (images 0..1; with
 * {@code noise: true} also ε_cond and ε_uncond), then {@code done} with the image. Above
 * {@value #MAX_FRAMES} steps only every k-th step (and the last) is streamed, so a 1000-step DDPM run
 * sends about as much as a 100-step one; every step is still computed.
 */
@Component
class DiffuseRun implements RunWorker<DiffusionParams> {

    static final int MAX_FRAMES = 100;

    private final Generation generation;

    DiffuseRun(Generation generation) {
        this.generation = generation;
    }

    @Override
    public String kind() {
        return "diffuse";
    }

    @Override
    public Class<DiffusionParams> paramsType() {
        return DiffusionParams.class;
    }

    @Override
    public void validate(DiffusionParams params) {
        params.validate();
        if (params.count() != null && params.count() != 1) {
            throw new InvalidFieldException("count", "a run makes one image; use POST /api/diffusion/sample for more");
        }
    }

    @Override
    public DiffusionParams withDefaults(DiffusionParams params) {
        return params.withDefaults();
    }


    /** The settings, and the image it made once it is done. */
    @Override
    public RunSummary summarize(DiffusionParams params, JsonNode result) {
        JsonNode image = result == null ? null : result.get("image");
        String thumbnail = null;
        if (image != null && image.isArray() && image.size() == 28 * 28) {
            float[] pixels = new float[image.size()];
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = (float) image.get(i).asDouble();
            }
            thumbnail = Thumbnail.grey(pixels, 28);
        }
        return new RunSummary("diffusion: " + params.describe(), thumbnail);
    }

    @Override
    public Object execute(DiffusionParams params, RunContext context) {
        int steps = params.stepsOrDefault();
        int every = (steps + MAX_FRAMES - 1) / MAX_FRAMES;
        context.emit("prompt", Vocabulary.read(params.conditionText()));
        Generation.Images result = generation.generate(params, frame -> {
            if (frame.index() % every == 0 || frame.index() == steps - 1) {
                Map<String, Object> event = new LinkedHashMap<>();
                event.put("index", frame.index());
                event.put("t", frame.t());
                event.put("x", rounded(frame.x()));
                event.put("x0", rounded(frame.x0()));
                if (frame.noiseConditional() != null) {
                    event.put("noiseConditional", rounded(frame.noiseConditional()));
                }
                if (frame.noiseUnconditional() != null) {
                    event.put("noiseUnconditional", rounded(frame.noiseUnconditional()));
                }
                context.emit("step", event);
            } else {
                context.checkCancelled();
            }
        });
        Map<String, Object> done = new LinkedHashMap<>();
        done.put("image", rounded(result.images().get(0)));
        done.put("seconds", result.seconds());
        done.put("space", params.spaceKind().name().toLowerCase());
        done.put("steps", steps);
        return done;
    }

    /** Three decimals are plenty for a picture and keep the events small. */
    static float[] rounded(float[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Math.round(values[i] * 1000) / 1000f;
        }
        return out;
    }
}
