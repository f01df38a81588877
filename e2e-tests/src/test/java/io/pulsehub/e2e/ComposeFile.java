package io.pulsehub.e2e;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * docker-compose.yml read the way Compose reads it: YAML with anchors and merge keys, then {@code ${VAR}},
 * {@code ${VAR:-default}}, {@code ${VAR-default}}, {@code ${VAR:?message}} and {@code $$} interpolated from an
 * environment. Only what the checks need; Compose itself is never run here (no Docker engine).
 */
final class ComposeFile {

    private static final Pattern VARIABLE =
            Pattern.compile("\\$(?:\\$|\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?}|([A-Za-z_][A-Za-z0-9_]*))");

    final Path root;
    private final Map<String, Object> raw;

    private ComposeFile(final Path root, final Map<String, Object> raw) {
        this.root = root;
        this.raw = raw;
    }

    @SuppressWarnings("unchecked")
    static ComposeFile read(final Path root) throws IOException {
        final String text = Files.readString(root.resolve("docker-compose.yml"), StandardCharsets.UTF_8);
        // Jackson's YAML parser is strict about syntax but leaves aliases and merge keys unresolved, which SnakeYAML's
        // safe constructor does the way Compose does.
        new YAMLMapper().readTree(text);
        final Object document = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        if (!(document instanceof Map)) {
            throw new IllegalStateException("docker-compose.yml is not a mapping at the top");
        }
        return new ComposeFile(root, (Map<String, Object>) document);
    }

    /** The repository root: the folder above the working directory that holds docker-compose.yml and mvnw. */
    static Path repositoryRoot() {
        final String configured = System.getProperty("pulsehub.root");
        if (configured != null) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        Path candidate = Path.of("").toAbsolutePath();
        while (candidate != null) {
            if (Files.isRegularFile(candidate.resolve("docker-compose.yml"))
                    && Files.isRegularFile(candidate.resolve("mvnw"))) {
                return candidate;
            }
            candidate = candidate.getParent();
        }
        throw new IllegalStateException("no docker-compose.yml above " + Path.of("").toAbsolutePath());
    }

    Map<String, Object> raw() {
        return raw;
    }

    /** The whole file after interpolation with {@code environment}, as Compose would use it. */
    @SuppressWarnings("unchecked")
    Map<String, Object> interpolated(final Function<String, String> environment) {
        return (Map<String, Object>) interpolate(raw, environment);
    }

    /** Every variable the file interpolates from the environment, in order of appearance. */
    Set<String> interpolatedVariables() {
        final Set<String> names = new LinkedHashSet<>();
        collectVariables(raw, names);
        return names;
    }

    private static void collectVariables(final Object node, final Set<String> names) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> {
                collectVariables(key, names);
                collectVariables(value, names);
            });
        } else if (node instanceof List<?> list) {
            list.forEach(item -> collectVariables(item, names));
        } else if (node instanceof String string) {
            final Matcher matcher = VARIABLE.matcher(string);
            while (matcher.find()) {
                final String name = matcher.group(1) != null ? matcher.group(1) : matcher.group(4);
                if (name != null) {
                    names.add(name);
                }
                // Defaults may refer to variables too.
                if (matcher.group(3) != null) {
                    collectVariables(matcher.group(3), names);
                }
            }
        }
    }

    private static Object interpolate(final Object node, final Function<String, String> environment) {
        if (node instanceof Map<?, ?> map) {
            final Map<String, Object> result = new LinkedHashMap<>();
            map.forEach((key, value) -> result.put(String.valueOf(key), interpolate(value, environment)));
            return result;
        }
        if (node instanceof List<?> list) {
            final List<Object> result = new ArrayList<>();
            list.forEach(item -> result.add(interpolate(item, environment)));
            return result;
        }
        if (node instanceof String string) {
            return interpolate(string, environment);
        }
        return node;
    }

    static String interpolate(final String value, final Function<String, String> environment) {
        final Matcher matcher = VARIABLE.matcher(value);
        final StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(result, Matcher.quoteReplacement(resolve(matcher, environment)));
        }
        matcher.appendTail(result);
        return result.toString();
    }

    private static String resolve(final Matcher matcher, final Function<String, String> environment) {
        if (matcher.group().equals("$$")) {
            return "$";
        }
        final String name = matcher.group(1) != null ? matcher.group(1) : matcher.group(4);
        final String operator = matcher.group(2);
        final String argument = matcher.group(3) == null ? "" : interpolate(matcher.group(3), environment);
        final String value = environment.apply(name);
        final boolean unsetOrEmpty = value == null || value.isEmpty();
        if (operator == null) {
            return value == null ? "" : value;
        }
        return switch (operator) {
            case ":-" -> unsetOrEmpty ? argument : value;
            case "-" -> value == null ? argument : value;
            case ":?" -> {
                if (unsetOrEmpty) {
                    throw new IllegalArgumentException("required variable " + name + " is missing: " + argument);
                }
                yield value;
            }
            case "?" -> {
                if (value == null) {
                    throw new IllegalArgumentException("required variable " + name + " is missing: " + argument);
                }
                yield value;
            }
            default -> throw new IllegalArgumentException("unsupported interpolation " + matcher.group());
        };
    }
}
