package dev.deepscope.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.springframework.util.unit.DataSize;
import org.yaml.snakeyaml.Yaml;

/**
 * What the soak reads of the server itself: its Prometheus metrics (heap, runs counted, and whatever
 * storage gauges and event budgets it exports), the size of a local data directory, and the per-kind
 * event budgets of {@code deepscope.events.budget.*} from wherever they can be read.
 */
final class ServerGauges {

    /** One scrape of /actuator/prometheus: series ({@code name{labels}}) → value. Empty if unreachable. */
    record Snapshot(Map<String, Double> series) {

        /** Sum of {@code jvm_memory_used_bytes{area="heap"}} over the heap's pools. */
        double heapBytes() {
            return sum(s -> s.startsWith("jvm_memory_used_bytes{") && s.contains("area=\"heap\""));
        }

        double sum(Predicate<String> which) {
            return series.entrySet().stream().filter(e -> which.test(e.getKey()))
                    .mapToDouble(Map.Entry::getValue).sum();
        }

        /** Series whose metric name passes {@code which}, sorted. */
        Map<String, Double> named(Predicate<String> which) {
            Map<String, Double> found = new TreeMap<>();
            series.forEach((s, v) -> {
                if (which.test(s.contains("{") ? s.substring(0, s.indexOf('{')) : s)) {
                    found.put(s, v);
                }
            });
            return found;
        }
    }

    private static final Pattern SERIES = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\\{.*})?)\\s+(\\S+)");
    private static final Pattern KIND = Pattern.compile("kind=\"([^\"]+)\"");

    private ServerGauges() {
    }

    static Snapshot scrape(HttpClient http, String base) {
        Map<String, Double> series = new LinkedHashMap<>();
        try {
            HttpResponse<Stream<String>> response = http.send(HttpRequest.newBuilder(
                    URI.create(base + "/actuator/prometheus")).build(), HttpResponse.BodyHandlers.ofLines());
            if (response.statusCode() == 200) {
                response.body().filter(line -> !line.startsWith("#")).forEach(line -> {
                    Matcher m = SERIES.matcher(line);
                    if (m.find()) {
                        try {
                            series.merge(m.group(1), Double.parseDouble(m.group(2)), Double::sum);
                        } catch (NumberFormatException ignored) {
                            // not a number: not a sample line
                        }
                    }
                });
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new Snapshot(series);
    }

    /** Bytes of every file under {@code dir} (files that vanish while counted are skipped), or -1. */
    static long directorySize(Path dir) {
        if (dir == null || !Files.isDirectory(dir)) {
            return -1;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.mapToLong(f -> {
                try {
                    return Files.isRegularFile(f) ? Files.size(f) : 0;
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException | UncheckedIOException e) {
            return -1;
        }
    }

    /** Per-kind event budgets in bytes and where they came from: {@code kind → bytes}, or empty. */
    record Budgets(Map<String, Long> bytes, String source) {
    }

    /**
     * The budgets the server exports (a metric with "budget" and "bytes" in its name, tagged by kind), else
     * those given on the command line ({@code --budget kind=2MB}), else {@code deepscope.events.budget.*}
     * of an application.yml (the project's, when the soak runs from its folder): each kind's value, or the
     * child of it whose name says bytes or size.
     */
    static Budgets budgets(Snapshot metrics, Map<String, String> given, Path applicationYml) {
        Map<String, Long> found = new TreeMap<>();
        metrics.named(n -> n.contains("budget") && n.contains("bytes")).forEach((series, value) -> {
            Matcher kind = KIND.matcher(series);
            if (kind.find()) {
                found.put(kind.group(1), value.longValue());
            }
        });
        if (!found.isEmpty()) {
            return new Budgets(found, "/actuator/prometheus");
        }
        given.forEach((kind, size) -> found.put(kind, DataSize.parse(size).toBytes()));
        if (!found.isEmpty()) {
            return new Budgets(found, "--budget");
        }
        if (applicationYml != null && Files.isRegularFile(applicationYml)) {
            try (InputStream in = Files.newInputStream(applicationYml)) {
                for (Object document : new Yaml().loadAll(in)) {
                    Object budget = at(document, "deepscope", "events", "budget");
                    if (budget instanceof Map<?, ?> kinds) {
                        kinds.forEach((kind, value) -> {
                            Long bytes = bytes(value);
                            if (bytes != null) {
                                found.put(String.valueOf(kind), bytes);
                            }
                        });
                    }
                }
            } catch (IOException | RuntimeException e) {
                System.out.println("  (could not read budgets from " + applicationYml + ": " + e + ")");
            }
        }
        return new Budgets(found, found.isEmpty() ? "n/a" : applicationYml.toString());
    }

    private static Object at(Object node, String... path) {
        for (String key : path) {
            if (!(node instanceof Map<?, ?> map)) {
                return null;
            }
            node = map.get(key);
        }
        return node;
    }

    private static Long bytes(Object value) {
        if (value instanceof Map<?, ?> children) {
            for (Map.Entry<?, ?> child : children.entrySet()) {
                String name = String.valueOf(child.getKey());
                if (name.contains("byte") || name.contains("size")) {
                    return bytes(child.getValue());
                }
            }
            return null;
        }
        try {
            return value == null ? null : DataSize.parse(String.valueOf(value).replace(" ", "")).toBytes();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
