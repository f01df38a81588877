package io.pulsehub.testsupport;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/** Main class run by {@link JavaProcessTest} and {@link ReaperTest} in a separate JVM. */
public final class EchoMain {

    private EchoMain() {
    }

    public static void main(final String[] args) throws InterruptedException {
        final String mode = args.length > 0 ? args[0] : "";
        if ("exit".equals(mode)) {
            System.out.println("echo giving up");
            System.exit(3);
        }
        if ("redis".equals(mode)) {
            // Deliberately never closed: the JVM's exit must take the server down anyway.
            final RedisServer redis = RedisServer.start();
            System.out.println("redis pid=" + redis.pid() + " dir=" + redis.directory());
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("echo stopping")));
        System.out.println("echo ready env=" + System.getenv("ECHO_ENV") + " prop=" + System.getProperty("echo.prop")
                + " cwd=" + Path.of("").toAbsolutePath());
        // Runs until a signal ends the JVM, like a service.
        new CountDownLatch(1).await();
    }
}
