package io.pulsehub.broker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class BrokerConfigWriterTest {

    @TempDir
    Path dataDir;

    @Test
    void writesBothListenersOnTheBindAddressTheClientLimitsAndNoUsageStatistics() throws Exception {
        final BrokerSettings settings = BrokerSettings.fromEnvironment(Map.of(
                "HUB_MQTT_PORT", "21883", "HUB_MQTT_WS_PORT", "28000",
                "HUB_BROKER_MAX_QUEUED_MESSAGES", "4321", "HUB_BROKER_RECEIVE_MAXIMUM", "48",
                "HUB_BROKER_DATA_DIR", dataDir.toString()), Path.of(""));

        BrokerConfigWriter.write(settings);

        final Document config = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(dataDir.resolve("conf/config.xml").toFile());
        final Element tcp = (Element) config.getElementsByTagName("tcp-listener").item(0);
        assertThat(text(tcp, "port")).isEqualTo("21883");
        assertThat(text(tcp, "bind-address")).isEqualTo("127.0.0.1");
        final Element ws = (Element) config.getElementsByTagName("websocket-listener").item(0);
        assertThat(text(ws, "port")).isEqualTo("28000");
        assertThat(text(ws, "bind-address")).isEqualTo("127.0.0.1");
        assertThat(text(ws, "path")).isEqualTo("/mqtt");
        final Element statistics = (Element) config.getElementsByTagName("anonymous-usage-statistics").item(0);
        assertThat(text(statistics, "enabled")).isEqualTo("false");
        final Element queued = (Element) config.getElementsByTagName("queued-messages").item(0);
        assertThat(text(queued, "max-queue-size")).isEqualTo("4321");
        assertThat(text(queued, "strategy")).isEqualTo("discard");
        final Element receive = (Element) config.getElementsByTagName("receive-maximum").item(0);
        assertThat(text(receive, "server-receive-maximum")).isEqualTo("48");
        final Element persistence = (Element) config.getElementsByTagName("persistence").item(0);
        assertThat(text(persistence, "mode")).isEqualTo("file");
        assertThat(dataDir.resolve("conf/logback.xml")).isNotEmptyFile();
    }

    @Test
    void rewritesAStaleConfigurationOnEveryStart() throws Exception {
        Files.createDirectories(dataDir.resolve("conf"));
        Files.writeString(dataDir.resolve("conf/config.xml"), "<hivemq><listeners/></hivemq>");
        final BrokerSettings settings = BrokerSettings.fromEnvironment(Map.of(
                "HUB_MQTT_PORT", "21884", "HUB_BROKER_DATA_DIR", dataDir.toString()), Path.of(""));

        BrokerConfigWriter.write(settings);

        assertThat(Files.readString(dataDir.resolve("conf/config.xml"))).contains("<port>21884</port>");
    }

    @Test
    void keystoreAddsTlsAndSecureWebSocketListenersWithEscapedSecretsAndTls12Plus() throws Exception {
        final BrokerSettings settings = BrokerSettings.fromEnvironment(Map.of(
                "HUB_MQTT_TLS_PORT", "28883", "HUB_MQTT_WSS_PORT", "28001",
                "HUB_TLS_KEYSTORE", "/etc/pulsehub/server.p12", "HUB_TLS_KEYSTORE_PASSWORD", "a<b&c\"d",
                "HUB_TLS_KEY_PASSWORD", "key'pw", "HUB_BROKER_DATA_DIR", dataDir.toString()), Path.of(""));

        BrokerConfigWriter.write(settings);

        final Document config = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(dataDir.resolve("conf/config.xml").toFile());
        final Element tls = (Element) config.getElementsByTagName("tls-tcp-listener").item(0);
        assertThat(text(tls, "port")).isEqualTo("28883");
        assertThat(text(tls, "bind-address")).isEqualTo("127.0.0.1");
        final Element wss = (Element) config.getElementsByTagName("tls-websocket-listener").item(0);
        assertThat(text(wss, "port")).isEqualTo("28001");
        assertThat(text(wss, "path")).isEqualTo("/mqtt");
        for (final Element listener : new Element[] {tls, wss}) {
            final Element keystore = (Element) listener.getElementsByTagName("keystore").item(0);
            assertThat(text(keystore, "path")).isEqualTo("/etc/pulsehub/server.p12");
            assertThat(text(keystore, "password")).isEqualTo("a<b&c\"d");
            assertThat(text(keystore, "private-key-password")).isEqualTo("key'pw");
            final NodeList protocols = listener.getElementsByTagName("protocol");
            assertThat(protocols.getLength()).isEqualTo(2);
            assertThat(List.of(protocols.item(0).getTextContent(), protocols.item(1).getTextContent()))
                    .containsExactlyInAnyOrder("TLSv1.2", "TLSv1.3");
        }
        if (dataDir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(dataDir.resolve("conf/config.xml")))).isEqualTo("rw-------");
        }
    }

    @Test
    void noKeystoreNoTlsListeners() throws Exception {
        final BrokerSettings settings = BrokerSettings.fromEnvironment(Map.of(
                "HUB_BROKER_DATA_DIR", dataDir.toString()), Path.of(""));

        BrokerConfigWriter.write(settings);

        assertThat(Files.readString(dataDir.resolve("conf/config.xml"))).doesNotContain("tls");
    }

    private static String text(final Element parent, final String tag) {
        return parent.getElementsByTagName(tag).item(0).getTextContent().trim();
    }
}
