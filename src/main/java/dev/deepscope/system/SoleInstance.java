package dev.deepscope.system;

/**
 * Present (as a bean) when this app is the only instance on its database: the embedded PostgreSQL, whose
 * data directory one app at a time may hold and whose port is new at every start. Whatever such a database
 * holds as still running was left by an instance that has stopped, so it need not wait for that instance's
 * heartbeat to time out.
 */
public final class SoleInstance {

    SoleInstance() {
    }
}
