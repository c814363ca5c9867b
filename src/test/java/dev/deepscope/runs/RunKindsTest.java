package dev.deepscope.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deepscope.errors.InvalidFieldException;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The seed a run records is the one in its typed params once the defaults are in, and never a null beside a used seed. */
class RunKindsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    record Noise(Integer size, Long seed) implements Seeded {
    }

    record Plain(Integer size) {
    }

    /** A worker whose defaults fill in {@code defaultSeed} (null: a worker that forgets the seed). */
    record NoiseRun(Long defaultSeed) implements RunWorker<Noise> {
        public String kind() {
            return "noise";
        }

        public Class<Noise> paramsType() {
            return Noise.class;
        }

        public void validate(Noise params) {
            if (params.size() == null) {
                throw new InvalidFieldException("size", "is required");
            }
        }

        public Noise withDefaults(Noise params) {
            return new Noise(params.size(), params.seed() == null ? defaultSeed : params.seed());
        }

        public Object execute(Noise params, RunContext context) {
            return null;
        }
    }

    record PlainRun() implements RunWorker<Plain> {
        public String kind() {
            return "plain";
        }

        public Class<Plain> paramsType() {
            return Plain.class;
        }

        public void validate(Plain params) {
        }

        public Object execute(Plain params, RunContext context) {
            return null;
        }
    }

    @Test
    void aDefaultSeedIsRecordedAndStored() {
        RunKinds kinds = new RunKinds(List.of(new NoiseRun(7L), new PlainRun()), JSON);
        RunKinds.Checked<?> checked = kinds.check("noise", JSON.readTree("{\"size\": 3}"));
        assertThat(checked.seed()).isEqualTo(7L);
        assertThat(checked.json().path("seed").asLong()).isEqualTo(7L);
        assertThat(kinds.check("noise", JSON.readTree("{\"size\": 3, \"seed\": 11}")).seed()).isEqualTo(11L);
    }

    @Test
    void paramsWithoutASeedRecordNone() {
        RunKinds kinds = new RunKinds(List.of(new PlainRun()), JSON);
        assertThat(kinds.check("plain", null).seed()).isNull();
    }

    @Test
    void aWorkerThatLeavesTheSeedOutCannotStartARun() {
        RunKinds kinds = new RunKinds(List.of(new NoiseRun(null)), JSON);
        assertThatThrownBy(() -> kinds.check("noise", JSON.readTree("{\"size\": 3}")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("seed");
    }

    @Test
    void badParamsAreNamedInsideParams() {
        RunKinds kinds = new RunKinds(List.of(new NoiseRun(7L)), JSON);
        assertThatThrownBy(() -> kinds.check("noise", JSON.readTree("{}")))
                .isInstanceOf(InvalidFieldException.class)
                .extracting(e -> ((InvalidFieldException) e).field()).isEqualTo("params.size");
        assertThatThrownBy(() -> kinds.check("other", null)).isInstanceOf(InvalidFieldException.class)
                .extracting(e -> ((InvalidFieldException) e).field()).isEqualTo("kind");
    }
}
