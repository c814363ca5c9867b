package dev.deepscope.learning;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import dev.deepscope.errors.InvalidFieldException;
import io.swagger.v3.oas.annotations.media.Schema;

/** {@code model} = a train run's id; an odd {@code resolution} (so θ is the centre point); a seed for the directions. */
record LandscapeRequest(
        @Schema(requiredMode = REQUIRED, description = "a train run's id") String model,
        @Schema(requiredMode = REQUIRED, description = "grid points per side, odd (θ is the centre)", minimum = "3",
                maximum = "" + LandscapeRequest.MAX_RESOLUTION)
        Integer resolution,
        @Schema(requiredMode = REQUIRED, description = "picks the two random directions") Long seed) {

    static final int MAX_RESOLUTION = 41;

    void validate() {
        if (model == null || model.isBlank()) {
            throw new InvalidFieldException("model", "is required: the id of a train run");
        }
        if (resolution == null || resolution < 3 || resolution > MAX_RESOLUTION || resolution % 2 == 0) {
            throw new InvalidFieldException("resolution",
                    "must be an odd number of grid points per side, 3.." + MAX_RESOLUTION + ", not " + resolution);
        }
        if (seed == null) {
            throw new InvalidFieldException("seed", "is required: it picks the two random directions");
        }
    }
}
