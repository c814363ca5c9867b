package dev.deepscope.system;

import dev.deepscope.engine.Devices;
import dev.deepscope.models.ModelCard;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * What this server runs: TensorFlow's version, the device in use, and every model with its metrics, from the
 * chapters' {@link ModelCard}s.
 */
@RestController
@Tag(name = "system", description = "What this server runs")
class SystemApi {

    record SystemInfo(String tensorflow, String device, List<String> devices, String cpuKernels, List<ModelCard> models) {
    }

    private final SystemInfo info;

    /** {@code chapters}: every chapter's models bean, in their {@code @Order} (the series' order). */
    SystemApi(Devices devices, List<ModelCard.Source> chapters) {
        List<ModelCard> models = chapters.stream().flatMap(c -> c.modelCards().stream()).toList();
        this.info = new SystemInfo(Devices.tensorflowVersion(), devices.inUse(), devices.names(), Devices.cpuKernels(), models);
    }

    @GetMapping("/api/system")
    @Operation(summary = "TensorFlow's version, the device in use and every model with its metrics")
    SystemInfo system() {
        return info;
    }
}
