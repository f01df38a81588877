package io.pulsehub.extension.config;

import io.pulsehub.contract.DeviceTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {

    private static final String JWT_SECRET = "0123456789abcdef0123456789abcdef-jwt";
    private static final String SERVICE_TOKEN = "service-token-0123456789";

    @TempDir
    Path dir;

    private final Map<String, String> env = new HashMap<>(Map.of(
            "HUB_JWT_SECRET", JWT_SECRET,
            "HUB_SERVICE_TOKEN", SERVICE_TOKEN));

    private ExtensionConfig load(final String xml) throws Exception {
        final Path file = dir.resolve("config.xml");
        Files.writeString(file, xml, StandardCharsets.UTF_8);
        return new ConfigLoader(env::get).load(file);
    }

    private static String settings(final String body) {
        return "<?xml version=\"1.0\"?>\n<pulsehub-extension>\n" + body + "\n</pulsehub-extension>\n";
    }

    @Test
    void emptyFileGivesTheDocumentedDefaults() throws Exception {
        final ExtensionConfig config = load(settings(""));

        assertThat(config.redisUrl()).isEqualTo(URI.create("redis://127.0.0.1:6379"));
        assertThat(config.streamPartitions()).isEqualTo(8);
        assertThat(config.writerBatchSize()).isEqualTo(512);
        assertThat(config.writerQueueCapacity()).isEqualTo(20_000);
        assertThat(config.redisTimeout()).isEqualTo(Duration.ofMillis(2_000));
        assertThat(config.ackTimeout()).isEqualTo(Duration.ofMillis(10_000));
    }

    @Test
    void shippedConfigFileIsValidAndSpellsOutTheDefaults() throws Exception {
        final ExtensionConfig shipped =
                new ConfigLoader(env::get).load(Path.of("src/hivemq-extension/conf/config.xml"));

        assertThat(shipped.toString()).isEqualTo(load(settings("")).toString());
    }

    @Test
    void fileValuesAreUsed() throws Exception {
        final ExtensionConfig config = load(settings("""
                <redis-url>redis://redis.local:6380/2</redis-url>
                <stream-partitions>16</stream-partitions>
                <writer-batch-size>64</writer-batch-size>
                <writer-queue-capacity>1000</writer-queue-capacity>
                <redis-timeout-ms>500</redis-timeout-ms>
                <ack-timeout-ms>5000</ack-timeout-ms>"""));

        assertThat(config.redisUrl()).isEqualTo(URI.create("redis://redis.local:6380/2"));
        assertThat(config.streamPartitions()).isEqualTo(16);
        assertThat(config.writerBatchSize()).isEqualTo(64);
        assertThat(config.writerQueueCapacity()).isEqualTo(1000);
        assertThat(config.redisTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.ackTimeout()).isEqualTo(Duration.ofMillis(5000));
    }

    @Test
    void environmentOverridesRedisUrlAndPartitions() throws Exception {
        env.put("HUB_REDIS_URL", "redis://10.0.0.5:7000");
        env.put("HUB_STREAM_PARTITIONS", "4");

        final ExtensionConfig config = load(settings("""
                <redis-url>redis://redis.local:6380</redis-url>
                <stream-partitions>16</stream-partitions>"""));

        assertThat(config.redisUrl()).isEqualTo(URI.create("redis://10.0.0.5:7000"));
        assertThat(config.streamPartitions()).isEqualTo(4);
    }

    @Test
    void blankEnvironmentValuesCountAsUnset() throws Exception {
        env.put("HUB_REDIS_URL", " ");
        env.put("HUB_STREAM_PARTITIONS", "");

        final ExtensionConfig config = load(settings("<stream-partitions>3</stream-partitions>"));

        assertThat(config.redisUrl()).isEqualTo(URI.create("redis://127.0.0.1:6379"));
        assertThat(config.streamPartitions()).isEqualTo(3);
    }

    @Test
    void serviceTokenIsKeptOnlyAsItsHashAndSecretsNeverPrint() throws Exception {
        final ExtensionConfig config = load(settings("<redis-url>redis://user:hunter2@h:6379</redis-url>"));

        assertThat(config.secrets().serviceTokenSha256()).isEqualTo(DeviceTokens.sha256(SERVICE_TOKEN));
        assertThat(config.secrets().jwtSecret()).isEqualTo(JWT_SECRET.getBytes(StandardCharsets.UTF_8));
        assertThat(config.toString()).doesNotContain(JWT_SECRET, SERVICE_TOKEN, "hunter2");
        assertThat(config.redisUrlForLog()).isEqualTo("redis://***@h:6379");
    }

    @Test
    void missingJwtSecretIsRefused() {
        env.remove("HUB_JWT_SECRET");

        assertThatThrownBy(() -> load(settings(""))).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("HUB_JWT_SECRET is not set");
    }

    @Test
    void shortJwtSecretIsRefused() {
        env.put("HUB_JWT_SECRET", "x".repeat(31));

        assertThatThrownBy(() -> load(settings(""))).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("HUB_JWT_SECRET is shorter than 32 bytes");
    }

    @Test
    void missingOrShortServiceTokenIsRefused() {
        env.remove("HUB_SERVICE_TOKEN");
        assertThatThrownBy(() -> load(settings(""))).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("HUB_SERVICE_TOKEN is not set");

        env.put("HUB_SERVICE_TOKEN", "short");
        assertThatThrownBy(() -> load(settings(""))).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("HUB_SERVICE_TOKEN is shorter than 16 bytes");
    }

    @Test
    void secretValuesNeverAppearInTheError() {
        env.put("HUB_JWT_SECRET", "tooshort-secret");

        assertThatThrownBy(() -> load(settings(""))).isInstanceOf(InvalidConfigException.class)
                .message().doesNotContain("tooshort-secret");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        env.remove("HUB_SERVICE_TOKEN");

        assertThatThrownBy(() -> load(settings("""
                <stream-partitions>0</stream-partitions>
                <writer-batch-size>many</writer-batch-size>
                <redis-url>http://example.com</redis-url>""")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("stream-partitions must be between 1 and 1024, was 0")
                .hasMessageContaining("writer-batch-size must be a whole number, was 'many'")
                .hasMessageContaining("redis-url must start with redis:// or rediss://")
                .hasMessageContaining("HUB_SERVICE_TOKEN is not set");
    }

    @Test
    void invalidPartitionsFromTheEnvironmentAreRefused() {
        env.put("HUB_STREAM_PARTITIONS", "2000");

        assertThatThrownBy(() -> load(settings(""))).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("stream-partitions must be between 1 and 1024, was 2000");
    }

    @Test
    void ackTimeoutMustOutlastTheRedisTimeout() {
        assertThatThrownBy(() -> load(settings("""
                <redis-timeout-ms>2000</redis-timeout-ms>
                <ack-timeout-ms>5000</ack-timeout-ms>""")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("ack-timeout-ms (5000) must be at least 3 x redis-timeout-ms (2000)");
    }

    @Test
    void queueMustHoldAtLeastOneBatch() {
        assertThatThrownBy(() -> load(settings("""
                <writer-batch-size>100</writer-batch-size>
                <writer-queue-capacity>50</writer-queue-capacity>""")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("writer-queue-capacity (50) must be at least writer-batch-size (100)");
    }

    @Test
    void redisUrlPathMustBeADatabaseNumber() {
        assertThatThrownBy(() -> load(settings("<redis-url>redis://h:6379/db</redis-url>")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("redis-url path must be a database number");
    }

    @Test
    void unknownSettingIsRefusedRatherThanIgnored() {
        assertThatThrownBy(() -> load(settings("<redis-ulr>redis://h:6379</redis-ulr>")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("unknown setting <redis-ulr>");
    }

    @Test
    void repeatedSettingIsRefused() {
        assertThatThrownBy(() -> load(settings("""
                <stream-partitions>2</stream-partitions>
                <stream-partitions>4</stream-partitions>""")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("<stream-partitions> appears more than once");
    }

    @Test
    void wrongRootElementIsRefused() {
        assertThatThrownBy(() -> load("<hivemq><stream-partitions>2</stream-partitions></hivemq>"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("root element must be <pulsehub-extension>");
    }

    @Test
    void malformedXmlIsRefused() {
        assertThatThrownBy(() -> load("<pulsehub-extension><stream-partitions>2</pulsehub-extension>"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("is not well-formed XML");
    }

    @Test
    void externalEntitiesAreNeverResolved() throws IOException {
        final Path secret = Files.writeString(dir.resolve("secret.txt"), "7");

        assertThatThrownBy(() -> load("<?xml version=\"1.0\"?>\n"
                + "<!DOCTYPE pulsehub-extension [<!ENTITY p SYSTEM \"" + secret.toUri() + "\">]>\n"
                + "<pulsehub-extension><stream-partitions>&p;</stream-partitions></pulsehub-extension>"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("DOCTYPE");
    }

    @Test
    void missingFileIsRefused() {
        assertThatThrownBy(() -> new ConfigLoader(env::get).load(dir.resolve("absent.xml")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("does not exist");
    }
}
