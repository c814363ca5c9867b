package dev.deepscope.text.own;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.deepscope.engine.text.GptModel;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import org.springframework.stereotype.Component;

/**
 * The models {@code train-text} runs trained, by run id, so the page (and anyone with the run's link) can write
 * with one after its run ended. Bounded: at most {@code deepscope.text-training.kept} models (a 2-block model is
 * ~1 MB of weights plus its graph), each dropped {@code kept-for} after its last use; a dropped model's session is
 * closed. The ids of the last {@code gone} dropped ones are remembered, so asking for one is "gone" (410), not
 * "never here" (404).
 */
@Component
class TrainedTexts {

    /** A model with the tokenizer it reads with; used by one caller at a time and closed once dropped. */
    static final class Trained {
        private final GptModel model;
        private final OwnTokenizer tokenizer;
        private final int[] start;
        private boolean closed;

        Trained(GptModel model, OwnTokenizer tokenizer, int[] start) {
            this.model = model;
            this.tokenizer = tokenizer;
            this.start = start;
        }

        /** {@code work} with the model, or empty if it was closed meanwhile (dropped from the cache). */
        synchronized <T> Optional<T> use(Function<Trained, T> work) {
            return closed ? Optional.empty() : Optional.of(work.apply(this));
        }

        GptModel model() {
            return model;
        }

        OwnTokenizer tokenizer() {
            return tokenizer;
        }

        /** The text's first token: where writing starts when the prompt is empty. */
        int[] start() {
            return start;
        }

        synchronized void close() {
            closed = true;
            model.close();
        }
    }

    /** Why a model is no longer here, and since when. */
    record Gone(Instant at, String reason) {
    }

    private final Cache<String, Trained> models;
    private final Cache<String, Gone> gone;

    TrainedTexts(OwnTextProperties properties) {
        gone = Caffeine.newBuilder().maximumSize(properties.gone()).build();
        models = Caffeine.newBuilder()
                .maximumSize(properties.kept())
                .expireAfterAccess(properties.keptFor())
                .executor(Runnable::run)
                .<String, Trained>removalListener((id, trained, cause) -> {
                    if (trained != null) {
                        trained.close();
                    }
                    if (id != null && cause != RemovalCause.REPLACED) {
                        gone.put(id, new Gone(Instant.now(), cause == RemovalCause.SIZE
                                ? "newer trained models took its place" : "it was not used for a while"));
                    }
                })
                .build();
    }

    void keep(String runId, Trained trained) {
        models.put(runId, trained);
    }

    Optional<Trained> find(String runId) {
        return Optional.ofNullable(models.getIfPresent(runId));
    }

    Optional<Gone> gone(String runId) {
        return Optional.ofNullable(gone.getIfPresent(runId));
    }

    /** Models held now (after pending evictions). */
    long size() {
        models.cleanUp();
        return models.estimatedSize();
    }
}
