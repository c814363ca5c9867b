package dev.deepscope.system;

import dev.deepscope.diffusion.GenerationModels;
import dev.deepscope.digits.DigitModels;
import dev.deepscope.engine.Devices;
import dev.deepscope.text.TextModel;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** What this server runs: TensorFlow's version, the device in use, and every model with its metrics. */
@RestController
@Tag(name = "system", description = "What this server runs")
class SystemApi {

    record ModelInfo(String name, String chapter, long parameters, JsonNode metrics) {
    }

    record SystemInfo(String tensorflow, String device, List<String> devices, String cpuKernels, List<ModelInfo> models) {
    }

    private final SystemInfo info;

    SystemApi(Devices devices, DigitModels digitModels, TextModel textModel, GenerationModels generationModels) {
        List<ModelInfo> models = new ArrayList<>(digitModels.all().stream()
                .map(m -> new ModelInfo(m.network().architecture().name(), "structure", m.network().parameterCount(),
                        m.manifest().path("metrics")))
                .toList());
        models.add(new ModelInfo("gpt", "architecture", textModel.model().parameterCount(),
                textModel.manifest().path("metrics")));
        generationModels.manifests().forEach((name, manifest) -> models.add(new ModelInfo(name, "generation",
                generationModels.parameterCounts().get(name), manifest.path("metrics"))));
        this.info = new SystemInfo(Devices.tensorflowVersion(), devices.inUse(), devices.names(), Devices.cpuKernels(), models);
    }

    @GetMapping("/api/system")
    @Operation(summary = "TensorFlow's version, the device in use and every model with its metrics")
    SystemInfo system() {
        return info;
    }
}
