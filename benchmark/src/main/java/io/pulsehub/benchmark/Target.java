package io.pulsehub.benchmark;

import java.util.List;
import java.util.Map;

/** One system under test, started on loopback with fresh state. */
interface Target extends AutoCloseable {

    /** Short key used in the JSON and the tables, e.g. "mosquitto". */
    String key();

    String title();

    String mqttUrl();

    /** The target's own processes by name; the load generator is not among them. */
    Map<String, Launched> processes();

    /** Credentials the target accepts for devices {@code prefix-1 .. prefix-count}. */
    List<DeviceCredential> devices(String prefix, int count) throws Exception;

    @Override
    void close();
}
