package dev.deepscope.runs;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * This instance among those sharing the database ({@link Instance}), under {@code deepscope.instance.*}.
 *
 * @param heartbeat how often the instance says it is alive and marks the runs of instances that stopped beating
 *                  interrupted (so a crashed instance's runs read "interrupted" within about two beats)
 * @param stopWait  on a graceful stop, how long the runs computing here get to write their interrupted ending
 *                  before the instance records its stop anyway
 */
@ConfigurationProperties("deepscope.instance")
record InstanceProperties(Duration heartbeat, Duration stopWait) {
}
