package io.pulsehub.testsupport;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Finds server binaries installed by the OS package manager. */
final class Executables {

    // Surefire and IDEs often run with a PATH that lacks the sbin directories packages install into.
    private static final List<String> WELL_KNOWN_DIRS = List.of("/usr/bin", "/usr/sbin", "/usr/local/bin");

    private Executables() {
    }

    /** The executable {@code name}; fails with {@code installHint} so a missing binary never passes as a skip. */
    static Path locate(final String name, final String installHint) {
        final List<String> dirs = new ArrayList<>();
        final String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(File.pathSeparator)));
        }
        dirs.addAll(WELL_KNOWN_DIRS);
        for (final String dir : dirs) {
            if (dir.isEmpty()) {
                continue;
            }
            final Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(name + " not found; install it: " + installHint);
    }
}
