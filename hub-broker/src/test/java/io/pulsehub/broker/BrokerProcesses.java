package io.pulsehub.broker;

import io.pulsehub.testsupport.FreePorts;
import io.pulsehub.testsupport.JavaProcess;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The packaged broker jar as {@code ./hub up} runs it, in its own JVM with its own environment. */
final class BrokerProcesses {

    static final String READY_LINE = "PulseHub broker listening on";

    private BrokerProcesses() {
    }

    static Path brokerJar() {
        final Path jar = Path.of(System.getProperty("hub.broker.jar", "target/hub-broker.jar"));
        assertThat(jar).as("the packaged broker; run mvn package first").isRegularFile();
        return jar;
    }

    /** The folder the hivemq-extension module packages, loaded as a HiveMQ install loads its extensions folder. */
    static Path packagedExtensionsDir() {
        final Path dir = Path.of(System.getProperty("hub.extensions.dir", "../hivemq-extension/target/extensions"));
        assertThat(dir.resolve("pulsehub-extension/hivemq-extension.xml"))
                .as("the packaged PulseHub extension; package the hivemq-extension module first")
                .isRegularFile();
        return dir.toAbsolutePath().normalize();
    }

    /**
     * Everything the broker reads, set explicitly so that HUB_* variables of the shell running the build cannot leak
     * into the test.
     */
    static Map<String, String> brokerEnv(final Path dataDir, final Path extensionsDir) {
        final Map<String, String> env = new LinkedHashMap<>();
        env.put("HUB_BIND", "127.0.0.1");
        env.put("HUB_MQTT_PORT", Integer.toString(FreePorts.find()));
        env.put("HUB_MQTT_WS_PORT", Integer.toString(FreePorts.find()));
        env.put("HUB_BROKER_METRICS_PORT", Integer.toString(FreePorts.find()));
        env.put("HUB_BROKER_DATA_DIR", dataDir.toString());
        env.put("HUB_EXTENSIONS_DIR", extensionsDir.toString());
        return env;
    }

    static JavaProcess broker(final Map<String, String> env, final Path logDir) throws Exception {
        Files.createDirectories(logDir);
        return JavaProcess.builder(brokerJar())
                .jvmArgs("-Xmx512m")
                .env(env)
                .logFile(logDir.resolve("hub-broker.log"))
                .build();
    }
}
