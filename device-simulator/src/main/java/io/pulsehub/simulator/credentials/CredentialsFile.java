package io.pulsehub.simulator.credentials;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pulsehub.simulator.CannotStartException;

/**
 * Device credentials as JSON lines, one device per line: {@code {"id":"d1","owner":"demo","token":"..."}}, which is
 * exactly what {@code POST /api/devices} answers, so responses can be collected into such a file as they are. Blank
 * lines and lines starting with {@code #} are ignored; {@code owner} is optional; other members are ignored.
 */
public final class CredentialsFile {

    public static final String FORMAT_HELP = "JSON lines, one device per line: {\"id\":\"d1\",\"token\":\"…\"} "
            + "(other members such as \"owner\" are ignored, so are blank lines and lines starting with #)";

    private static final ObjectMapper JSON = new ObjectMapper();

    private CredentialsFile() {
    }

    /** @throws CannotStartException naming the file and line of the first problem */
    public static List<DeviceCredentials> read(final Path file) {
        final List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (final NoSuchFileException e) {
            throw new CannotStartException("credentials file " + file + " does not exist");
        } catch (final IOException e) {
            throw new CannotStartException("cannot read credentials file " + file + ": " + e.getMessage(), e);
        }
        final List<DeviceCredentials> devices = parse(lines, file.toString());
        if (devices.isEmpty()) {
            throw new CannotStartException("credentials file " + file + " lists no devices; expected " + FORMAT_HELP);
        }
        return devices;
    }

    static List<DeviceCredentials> parse(final List<String> lines, final String source) {
        final List<DeviceCredentials> devices = new ArrayList<>();
        final Set<String> ids = new HashSet<>();
        for (int index = 0; index < lines.size(); index++) {
            final String line = lines.get(index).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            final String where = source + " line " + (index + 1) + ": ";
            final DeviceCredentials device = parseLine(line, where);
            if (!ids.add(device.id())) {
                throw new CannotStartException(where + "device " + device.id() + " is listed twice");
            }
            devices.add(device);
        }
        return List.copyOf(devices);
    }

    private static DeviceCredentials parseLine(final String line, final String where) {
        final JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (final JsonProcessingException e) {
            throw new CannotStartException(where + "not a JSON object; expected " + FORMAT_HELP);
        }
        if (node == null || !node.isObject()) {
            throw new CannotStartException(where + "not a JSON object; expected " + FORMAT_HELP);
        }
        final String id = text(node, "id", where);
        final String token = text(node, "token", where);
        final JsonNode owner = node.get("owner");
        try {
            return new DeviceCredentials(id, owner != null && owner.isTextual() ? owner.asText() : null, token);
        } catch (final IllegalArgumentException e) {
            throw new CannotStartException(where + e.getMessage());
        }
    }

    private static String text(final JsonNode node, final String member, final String where) {
        final JsonNode value = node.get(member);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw new CannotStartException(where + "\"" + member + "\" is missing or not a string");
        }
        return value.asText();
    }

    /** Writes the file readable by its owner only, since it holds device secrets; replaces an existing file. */
    public static void write(final Path file, final List<DeviceCredentials> devices) {
        try {
            final Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.deleteIfExists(file);
            createPrivate(file);
            try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                for (final DeviceCredentials device : devices) {
                    out.write(JSON.writeValueAsString(device));
                    out.write('\n');
                }
            }
        } catch (final IOException e) {
            throw new CannotStartException("cannot write credentials file " + file + ": " + e.getMessage(), e);
        }
    }

    private static void createPrivate(final Path file) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (final UnsupportedOperationException e) {
            Files.createFile(file);
        }
    }
}
