package dev.deepscope.runs;

/**
 * Params of a run that draws random numbers. Once a worker's {@link RunWorker#withDefaults} has filled in the
 * defaults, {@link #seed()} is the seed the run computes with — never null — and it is what the run records, so
 * a rerun of its stored params draws the same numbers.
 */
public interface Seeded {

    /** The random source's seed; null only before the defaults are filled in. */
    Long seed();
}
