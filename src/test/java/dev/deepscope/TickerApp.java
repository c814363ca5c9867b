package dev.deepscope;

import dev.deepscope.runs.TickerRun;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** The app with the test-only "ticker" run kind, for tests that start it as a JVM of its own ({@link AppProcess}). */
public final class TickerApp {

    private TickerApp() {
    }

    public static void main(String[] args) {
        new SpringApplicationBuilder(DeepScopeApplication.class, TickerRun.class).run(args);
    }
}
