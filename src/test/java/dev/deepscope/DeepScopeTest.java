package dev.deepscope;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import dev.deepscope.runs.TickerRun;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;

/**
 * The whole app on a random port with its embedded PostgreSQL in a fresh folder. Every test class
 * with this annotation shares one started app (Spring caches the context). A test-only "ticker" run
 * kind lets tests watch a run that is still computing.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"deepscope.data-dir=target/test-data/${random.uuid}",
                "deepscope.runs.reconnect-grace=500ms", "deepscope.runs.unwatched-timeout=3s",
                "deepscope.rate-limit.per-address=100000", "deepscope.runs.heartbeat=200ms",
                "deepscope.streams.per-address=1000", "deepscope.streams.header-timeout=2s",
                "deepscope.streams.body-timeout=2s",
                // every test client is 127.0.0.1: one address may hold nearly every slot (ClientSharesTest proves the share)
                "deepscope.clients.slots=15"})
// a shared machine can be slow to answer while another test class computes: runs of every kind compute here: wait up to a minute, not the default 5 s
@AutoConfigureWebTestClient(timeout = "60s")
@Import(TickerRun.class)
public @interface DeepScopeTest {
}
