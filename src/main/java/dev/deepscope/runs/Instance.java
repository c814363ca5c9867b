package dev.deepscope.runs;

import dev.deepscope.system.RandomIds;
import dev.deepscope.system.SoleInstance;
import java.time.Duration;
import java.util.Collection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * This app instance among those sharing the database. It beats every few seconds; any instance marks
 * the running runs of an instance that stopped beating as interrupted (a crash loses no finished run
 * and leaves no run "running" forever). A graceful stop interrupts its own runs first. On a database of
 * its own ({@link SoleInstance}) an instance marks every run another left running at once when it starts.
 */
@Component
class Instance implements SmartLifecycle, SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(Instance.class);

    /** Stops before the web server (graceful shutdown, phase MAX_VALUE − 1024) and the database go away. */
    static final int PHASE = Integer.MAX_VALUE - 1000;

    private final String id = RandomIds.next();
    private final RunStore store;
    private final String interruptedEvent;
    private final boolean sole;
    private final LiveRuns live;
    private final Duration stopWait;
    private volatile boolean running;

    Instance(RunStore store, LiveRuns live, JsonMapper json, ObjectProvider<SoleInstance> sole,
             InstanceProperties settings) {
        this.store = store;
        this.live = live;
        this.stopWait = settings.stopWait();
        this.sole = sole.getIfAvailable() != null;
        this.interruptedEvent = json.writeValueAsString(new RunEndings.Interrupted(RunEndings.SERVER_STOPPED));
    }

    String id() {
        return id;
    }

    /** Before the web server opens, so no viewer sees a run of the previous start as still running. */
    @Override
    public void afterSingletonsInstantiated() {
        if (!sole) {
            return;
        }
        try {
            int interrupted = store.markInterruptedAllBut(interruptedEvent, id);
            if (interrupted > 0) {
                log.info("Marked {} runs left running by the previous start interrupted", interrupted);
            }
        } catch (DataAccessException e) {
            log.warn("Could not mark the runs left running interrupted: {}", e.getMessage());
        }
    }

    @Override
    public void start() {
        running = true;
        beat();
    }

    /** Heartbeat, then interrupt the runs of instances that are gone. */
    @Scheduled(fixedDelayString = "${deepscope.instance.heartbeat}", initialDelayString = "${deepscope.instance.heartbeat}")
    void beat() {
        if (!running) {
            return;
        }
        try {
            store.heartbeat(id);
            int interrupted = store.markInterrupted(interruptedEvent, null);
            if (interrupted > 0) {
                log.info("Marked {} runs of stopped instances interrupted", interrupted);
            }
        } catch (DataAccessException e) {
            log.debug("Heartbeat skipped: database unreachable ({})", e.getMessage());
        }
    }

    @Override
    public void stop() {
        running = false;
        Collection<RunChannel> left = live.interruptAll();
        long deadline = System.currentTimeMillis() + stopWait.toMillis();
        while (!left.isEmpty() && System.currentTimeMillis() < deadline) {
            sleep();
        }
        try {
            store.markInterrupted(interruptedEvent, id);
            store.forget(id);
        } catch (DataAccessException e) {
            log.warn("Could not record this instance's stop: {}", e.getMessage());
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
