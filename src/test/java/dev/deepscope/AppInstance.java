package dev.deepscope;

import dev.deepscope.runs.TickerRun;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Another whole app in the same JVM (a second instance, or the same one after a restart). */
public final class AppInstance implements AutoCloseable {

    private final ConfigurableApplicationContext context;
    private final WebTestClient http;
    private final int port;

    private AppInstance(ConfigurableApplicationContext context) {
        this.context = context;
        this.port = ((WebServerApplicationContext) context).getWebServer().getPort();
        this.http = WebTestClient.bindToServer().baseUrl("http://localhost:" + port)
                .responseTimeout(java.time.Duration.ofSeconds(30)).build();
    }

    /** Starts the app with the test settings of {@link DeepScopeTest}, replaced or added to by {@code properties}. */
    public static AppInstance start(Map<String, String> properties) {
        Map<String, String> settings = new LinkedHashMap<>(Map.of("server.port", "0",
                "deepscope.runs.reconnect-grace", "500ms", "deepscope.runs.unwatched-timeout", "3s",
                "deepscope.rate-limit.per-address", "100000", "deepscope.clients.slots", "15"));
        settings.putAll(properties);   // one value a key: a repeated command-line option would bind as "a,b"
        List<String> args = new ArrayList<>();
        settings.forEach((k, v) -> args.add("--" + k + "=" + v));
        return new AppInstance(new SpringApplicationBuilder(DeepScopeApplication.class, TickerRun.class)
                .run(args.toArray(String[]::new)));
    }

    public int port() {
        return port;
    }

    public WebTestClient http() {
        return http;
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    /** The bean called {@code name}, e.g. the {@code trainingExecutor}. */
    public <T> T bean(String name, Class<T> type) {
        return context.getBean(name, type);
    }

    @Override
    public void close() {
        context.close();
    }
}
