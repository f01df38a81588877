package io.pulsehub.simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.embedded.EmbeddedHiveMQBuilder;
import io.pulsehub.testsupport.FreePorts;

/** HiveMQ CE embedded on a free loopback port, in a temporary folder; optionally with an in-test extension. */
final class TestBroker implements AutoCloseable {

    private static final String QUIET_LOGGING = """
            <configuration>
                <statusListener class="ch.qos.logback.core.status.NopStatusListener"/>
                <appender name="STDERR" class="ch.qos.logback.core.ConsoleAppender">
                    <target>System.err</target>
                    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{36} - %msg%n</pattern></encoder>
                </appender>
                <logger name="io.pulsehub" level="INFO"/>
                <root level="WARN"><appender-ref ref="STDERR"/></root>
            </configuration>
            """;

    private final int port;
    private final int webSocketPort;
    private final EmbeddedHiveMQ hivemq;
    private boolean running;

    private TestBroker(final int port, final int webSocketPort, final EmbeddedHiveMQ hivemq) {
        this.port = port;
        this.webSocketPort = webSocketPort;
        this.hivemq = hivemq;
    }

    static TestBroker start(final Path folder) {
        return start(folder, null);
    }

    static TestBroker start(final Path folder, final EmbeddedExtension extension) {
        final int port = FreePorts.find();
        final int webSocketPort = FreePorts.find();
        try {
            final Path conf = Files.createDirectories(folder.resolve("conf"));
            Files.writeString(conf.resolve("config.xml"), """
                    <?xml version="1.0" encoding="UTF-8"?>
                    <hivemq>
                        <listeners>
                            <tcp-listener>
                                <port>%d</port>
                                <bind-address>127.0.0.1</bind-address>
                            </tcp-listener>
                            <websocket-listener>
                                <port>%d</port>
                                <bind-address>127.0.0.1</bind-address>
                                <path>/mqtt</path>
                                <subprotocols><subprotocol>mqtt</subprotocol></subprotocols>
                            </websocket-listener>
                        </listeners>
                        <anonymous-usage-statistics>
                            <enabled>false</enabled>
                        </anonymous-usage-statistics>
                    </hivemq>
                    """.formatted(port, webSocketPort));
            Files.writeString(conf.resolve("logback.xml"), QUIET_LOGGING);
            final EmbeddedHiveMQBuilder builder = EmbeddedHiveMQ.builder()
                    .withConfigurationFolder(conf)
                    .withDataFolder(Files.createDirectories(folder.resolve("data")))
                    .withExtensionsFolder(Files.createDirectories(folder.resolve("extensions")));
            if (extension != null) {
                builder.withEmbeddedExtension(extension);
            }
            final TestBroker broker = new TestBroker(port, webSocketPort, builder.build());
            broker.hivemq.start().get(60, TimeUnit.SECONDS);
            broker.running = true;
            // HiveMQ reports a successful start even when it could not bind its listener.
            for (final int listener : new int[]{port, webSocketPort}) {
                try (Socket probe = new Socket()) {
                    probe.connect(new InetSocketAddress("127.0.0.1", listener), 2000);
                }
            }
            return broker;
        } catch (final IOException e) {
            throw new UncheckedIOException("HiveMQ is not listening on 127.0.0.1:" + port + " and " + webSocketPort, e);
        } catch (final Exception e) {
            throw new IllegalStateException("HiveMQ did not start: " + e, e);
        }
    }

    int port() {
        return port;
    }

    String url() {
        return "tcp://127.0.0.1:" + port;
    }

    String webSocketUrl() {
        return "ws://127.0.0.1:" + webSocketPort + "/mqtt";
    }

    void stop() {
        if (running) {
            running = false;
            try {
                hivemq.stop().get(60, TimeUnit.SECONDS);
            } catch (final Exception e) {
                throw new IllegalStateException("HiveMQ did not stop: " + e, e);
            }
        }
    }

    @Override
    public void close() throws Exception {
        stop();
        hivemq.close();
    }
}
