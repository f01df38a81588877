package io.pulsehub.benchmark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Live heap of a running JVM: a full GC with jcmd, then the used heap it reports. */
final class JvmHeap {

    /** G1 and the other generational collectors: "garbage-first heap   total 1048576K, used 37654K". */
    private static final Pattern USED = Pattern.compile("total \\d+K, used (\\d+)K");
    /** ZGC: "ZHeap           used 50M, capacity 378M, max capacity 1024M". */
    private static final Pattern Z_USED = Pattern.compile("ZHeap\\s+used (\\d+)M");

    private JvmHeap() {
    }

    /** Used heap in MB after a full GC, or -1 when jcmd could not tell. */
    static double liveMb(final long pid) {
        try {
            jcmd(pid, "GC.run");
            return usedKb(jcmd(pid, "GC.heap_info")) / 1024.0;
        } catch (final IOException e) {
            return -1;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    static long usedKb(final String heapInfo) {
        final Matcher matcher = USED.matcher(heapInfo);
        if (matcher.find()) {
            return Long.parseLong(matcher.group(1));
        }
        final Matcher z = Z_USED.matcher(heapInfo);
        return z.find() ? Long.parseLong(z.group(1)) * 1024 : -1;
    }

    private static String jcmd(final long pid, final String command) throws IOException, InterruptedException {
        final Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        final Process process = new ProcessBuilder(List.of(jcmd.toString(), Long.toString(pid), command))
                .redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("jcmd " + command + " did not finish");
        }
        return output;
    }
}
