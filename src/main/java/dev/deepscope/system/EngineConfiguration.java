package dev.deepscope.system;

import dev.deepscope.engine.Devices;
import dev.deepscope.engine.TensorFlowExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/** Starts TensorFlow: lists its devices, says which one the models use, and makes its bounded executor. */
@Configuration(proxyBeanMethods = false)
class EngineConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EngineConfiguration.class);

    @Bean
    Devices devices() {
        Devices devices = Devices.instance();
        log.info("TensorFlow {} devices: {}; models run on {}; CPU kernels: {}", Devices.tensorflowVersion(),
                devices.names(), devices.inUse(), Devices.cpuKernels());
        return devices;
    }

    @Bean(destroyMethod = "close")
    @Primary
    TensorFlowExecutor tensorFlowExecutor(DeepScopeProperties properties) {
        return new TensorFlowExecutor(properties.runs().slots());
    }

    /**
     * Training runs get their own executor: a thread per slot (an admitted run starts at once, it never
     * waits behind another for minutes), and each run's TensorFlow session has its own small thread pool
     * ({@code deepscope.training.tensorflow-threads}), so however many people train, classification keeps
     * its slots and TensorFlow's shared pool.
     */
    @Bean(destroyMethod = "close")
    TensorFlowExecutor trainingExecutor(TrainingProperties training) {
        return new TensorFlowExecutor(training.slots());
    }
}
