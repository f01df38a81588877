package io.pulsehub.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;

/** A device id and the token it connects with. */
record DeviceCredential(String id, String token) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Devices {@code prefix-1 .. prefix-count} of a broker that lets anyone in, so their token is never checked. */
    static List<DeviceCredential> anonymous(final String prefix, final int count) {
        final List<DeviceCredential> devices = new ArrayList<>();
        for (int number = 1; number <= count; number++) {
            devices.add(new DeviceCredential(prefix + "-" + number, "unused"));
        }
        return devices;
    }

    /**
     * Deals the devices round-robin into {@code parts} credentials files in the simulator's format (JSON lines), one
     * per load generator process.
     */
    static List<Path> writeSplit(final List<DeviceCredential> devices, final int parts, final Path dir,
                                 final String name) throws IOException {
        Files.createDirectories(dir);
        final List<List<String>> lines = new ArrayList<>();
        for (int part = 0; part < parts; part++) {
            lines.add(new ArrayList<>());
        }
        for (int index = 0; index < devices.size(); index++) {
            lines.get(index % parts).add(JSON.writeValueAsString(devices.get(index)));
        }
        final List<Path> files = new ArrayList<>();
        for (int part = 0; part < parts; part++) {
            final Path file = dir.resolve(name + "-" + (part + 1) + ".jsonl");
            Files.write(file, lines.get(part));
            files.add(file);
        }
        return files;
    }
}
