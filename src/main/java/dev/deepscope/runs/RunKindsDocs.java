package dev.deepscope.runs;

import io.swagger.v3.oas.models.media.Schema;
import java.util.List;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.properties.SpringDocConfigProperties;
import org.springdoc.core.utils.SpringDocAnnotationsUtils;
import org.springframework.stereotype.Component;

/**
 * Documents {@code POST /api/runs}: a run's {@code params} are one JSON member whose type depends on its
 * {@code kind}, so the OpenAPI document lists the kinds and each kind's params schema (with the bounds its
 * {@code @Schema}s state) from the workers themselves ({@link RunWorker#paramsType()}), whatever kinds exist.
 */
@Component
class RunKindsDocs implements OpenApiCustomizer {

    private final List<RunWorker<?>> workers;
    private final SpringDocConfigProperties springdoc;

    RunKindsDocs(List<RunWorker<?>> workers, SpringDocConfigProperties springdoc) {
        this.workers = workers;
        this.springdoc = springdoc;
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public void customise(io.swagger.v3.oas.models.OpenAPI api) {
        Schema request = api.getComponents().getSchemas() == null ? null
                : api.getComponents().getSchemas().get("RunRequest");
        if (request == null || request.getProperties() == null) {
            return;
        }
        List<RunWorker<?>> sorted = workers.stream().sorted(java.util.Comparator.comparing(RunWorker::kind)).toList();
        List<Schema> params = sorted.stream().map(w -> SpringDocAnnotationsUtils.extractSchema(api.getComponents(),
                w.paramsType(), null, null, springdoc.getSpecVersion())).map(s -> (Schema) s).toList();
        StringBuilder which = new StringBuilder("The kind's params: ");
        for (int i = 0; i < sorted.size(); i++) {
            which.append(i == 0 ? "" : ", ").append(sorted.get(i).kind()).append(" → ")
                    .append(sorted.get(i).paramsType().getSimpleName());
        }
        Schema kind = (Schema) request.getProperties().get("kind");
        kind.setEnum(sorted.stream().map(RunWorker::kind).toList());
        request.getProperties().put("params", new Schema<>().oneOf(params).description(which + "."));
    }
}
