package io.pulsehub.e2e;

import io.pulsehub.contract.AppTokens;
import io.pulsehub.contract.Topics;
import io.pulsehub.testsupport.MqttInbox;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The live web view for app developers in a real browser (Debian's headless Chromium), served by the bridge and
 * speaking MQTT over the broker's WebSocket listener, against the whole hub running as separate processes.
 */
class WebViewIT {

    private static final String WINDOW = "2s";
    private static final Duration SHOWN_WITHIN = Duration.ofSeconds(5);
    private static final Path SCREENSHOT = Path.of("target", "webview.png");
    private static final Pattern WS_URL = Pattern.compile("ws://[^\\s,]+/mqtt");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static Hub hub;
    private static WebViewBrowser browser;
    private static String brokerWsUrl;

    @BeforeAll
    static void startHubAndBrowser() throws Exception {
        // The browser first: when Chromium is missing the test fails at once with the install command.
        browser = WebViewBrowser.start();
        hub = Hub.start(WINDOW);
        brokerWsUrl = webSocketUrlOf(hub);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void bridgeServesThePageAndItsModulesWithoutAuthentication() throws Exception {
        final HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                .startsWith("text/html"));
        assertThat(page.body()).contains("<title>PulseHub live view</title>");
        for (final String module : List.of("/app.js", "/mqtt.js", "/contract.js")) {
            final HttpResponse<String> script = get(module);
            assertThat(script.statusCode()).as(module).isEqualTo(200);
            // Browsers refuse to run an ES module served with any other type.
            assertThat(script.headers().firstValue("Content-Type")).as(module)
                    .hasValueSatisfying(type -> assertThat(type).contains("javascript"));
        }
        assertThat(get("/app.css").statusCode()).isEqualTo(200);
    }

    @Test
    void pageLoadsNothingFromOtherHosts() throws IOException {
        final Path root = Path.of(System.getProperty("pulsehub.root", "..")).toAbsolutePath().normalize();
        try (Stream<Path> files = Files.walk(root.resolve("bridge-service/src/main/resources/public"))) {
            for (final Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(file)).as(file.toString())
                        .doesNotContainPattern("(src|href)\\s*=\\s*[\"']?(https?:)?//")
                        .doesNotContainPattern("from\\s+[\"'](https?:)?//")
                        .doesNotContain("@import");
            }
        }
    }

    @Test
    void ownerSeesLiveReadingsAndAggregatesAndSendsACommand() throws Exception {
        final String token = hub.provision("web-kitchen", "alice");
        final MqttAsyncClient device = Clients.deviceV5(hub, "web-kitchen", token);
        final MqttInbox commands = new MqttInbox();
        device.setCallback(commands);
        device.subscribe(new MqttSubscription(Topics.commandsFilter("web-kitchen"), 1)).waitForCompletion(10_000);
        try {
            final WebViewPage page = new WebViewPage(browser.driver).openFresh(hub.http("/"));
            assertThat(page.brokerUrlField()).as("default broker URL").isEqualTo("ws://127.0.0.1:8000/mqtt");

            page.signIn(brokerWsUrl, AppTokens.mint(Hub.JWT_SECRET, "alice", Duration.ofHours(1)));
            await("signed in").atMost(SHOWN_WITHIN).until(page::connectionState, "connected"::equals);
            assertThat(page.session()).startsWith("Signed in as alice on " + brokerWsUrl);
            assertThat(page.tokenFieldShown()).as("token hidden while signed in").isFalse();
            page.addDevice("web-kitchen");
            await("subscribed to web-kitchen").atMost(SHOWN_WITHIN)
                    .until(() -> page.subscription("web-kitchen"), "subscribed"::equals);
            assertThat(page.metric("web-kitchen", "temperature")).isEmpty();

            device.publish(Topics.telemetry("web-kitchen"),
                    "{\"temperature\": 21.5, \"humidity\": 40}".getBytes(StandardCharsets.UTF_8), 1, false)
                    .waitForCompletion(10_000);
            await("reading shown").atMost(SHOWN_WITHIN)
                    .until(() -> page.metric("web-kitchen", "temperature"), "21.5"::equals);
            assertThat(page.metric("web-kitchen", "humidity")).isEqualTo("40");

            // The reading's window closes within the window plus the lateness; its aggregate is pushed to the page.
            await("aggregate shown").atMost(Duration.ofSeconds(20))
                    .until(() -> page.aggregateRow("web-kitchen", WINDOW, "temperature").size() == 8);
            assertThat(page.aggregateRow("web-kitchen", WINDOW, "temperature").subList(0, 7))
                    .containsExactly(WINDOW, "temperature", "1", "21.5", "21.5", "21.5", "21.5");

            page.sendCommand("web-kitchen", "setpoint", "{\"target\": 19.5}");
            await("command received by the device").atMost(SHOWN_WITHIN)
                    .until(() -> commands.received().size() == 1);
            final MqttInbox.Received command = commands.received().get(0);
            assertThat(command.topic()).isEqualTo(Topics.command("web-kitchen", "setpoint"));
            assertThat(new String(command.message().getPayload(), StandardCharsets.UTF_8))
                    .isEqualTo("{\"target\":19.5}");
            assertThat(page.commandResult("web-kitchen")).startsWith("sent setpoint");
        } finally {
            // The build artifact, also when the test fails: it shows what the page showed.
            browser.screenshot(SCREENSHOT);
            Clients.closeQuietly(device);
        }
        assertThat(SCREENSHOT).isNotEmptyFile();
    }

    @Test
    void anotherOwnersDeviceIsShownAsRefused() throws Exception {
        hub.provision("web-private", "bob");
        final WebViewPage page = new WebViewPage(browser.driver)
                .openFresh(hub.http("/?broker=" + URLEncoder.encode(brokerWsUrl, StandardCharsets.UTF_8)));
        assertThat(page.brokerUrlField()).as("broker URL from the link").isEqualTo(brokerWsUrl);
        page.signIn(brokerWsUrl, AppTokens.mint(Hub.JWT_SECRET, "alice", Duration.ofHours(1)));
        await("signed in").atMost(SHOWN_WITHIN).until(page::connectionState, "connected"::equals);
        page.addDevice("web-private");
        await("subscription refused").atMost(SHOWN_WITHIN)
                .until(() -> page.subscription("web-private"), "refused"::equals);
    }

    @Test
    void devicesAreRememberedAcrossSignIns() throws Exception {
        hub.provision("web-hall", "carol");
        final String jwt = AppTokens.mint(Hub.JWT_SECRET, "carol", Duration.ofHours(1));
        final WebViewPage page = new WebViewPage(browser.driver).openFresh(hub.http("/"));
        page.signIn(brokerWsUrl, jwt);
        await("signed in").atMost(SHOWN_WITHIN).until(page::connectionState, "connected"::equals);
        page.addDevice("web-hall");
        await("subscribed").atMost(SHOWN_WITHIN).until(() -> page.subscription("web-hall"), "subscribed"::equals);

        page.disconnect();
        assertThat(page.connectionState()).isEqualTo("disconnected");
        assertThat(page.devices()).isEmpty();
        page.signIn(brokerWsUrl, jwt);

        await("subscribed again").atMost(SHOWN_WITHIN)
                .until(() -> page.subscription("web-hall"), "subscribed"::equals);
        assertThat(page.devices()).containsExactly("web-hall");
    }

    @Test
    void tokenSignedWithAnotherSecretIsRefused() {
        final WebViewPage page = new WebViewPage(browser.driver).openFresh(hub.http("/"));
        page.signIn(brokerWsUrl, AppTokens.mint("another-secret-of-at-least-32-bytes!!", "alice",
                Duration.ofHours(1)));
        await("refusal shown").atMost(SHOWN_WITHIN).until(page::signInError, error -> !error.isEmpty());
        assertThat(page.signInError()).contains("refused");
        assertThat(page.connectionState()).isEqualTo("disconnected");
        assertThat(page.tokenFieldShown()).isTrue();
    }

    private static HttpResponse<String> get(final String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(hub.http(path)).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    // The broker logs its listeners once they accept connections; Hub picks the WebSocket port and keeps no field.
    private static String webSocketUrlOf(final Hub hub) throws IOException {
        final Matcher matcher = WS_URL.matcher(Files.readString(hub.broker.logFile()));
        if (!matcher.find()) {
            throw new IllegalStateException("no WebSocket listener in the broker log:\n" + hub.broker.logTail(40));
        }
        return matcher.group();
    }
}
