package io.pulsehub.broker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class BrokerConfigWriterTest {

    @TempDir
    Path dataDir;

    @Test
    void writesBothListenersOnTheBindAddressWithoutUsageStatistics() throws Exception {
        final BrokerSettings settings = BrokerSettings.fromEnvironment(Map.of(
                "HUB_MQTT_PORT", "21883", "HUB_MQTT_WS_PORT", "28000",
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

    private static String text(final Element parent, final String tag) {
        return parent.getElementsByTagName(tag).item(0).getTextContent().trim();
    }
}
