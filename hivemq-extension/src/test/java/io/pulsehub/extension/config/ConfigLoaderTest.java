package io.pulsehub.extension.config;

import com.nimbusds.jose.jwk.JWKSet;
import io.pulsehub.contract.DeviceTokens;
import io.pulsehub.extension.Jwts;
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
        assertThat(config.jwt()).isEqualTo(new JwtSettings(null, null, null, null, null, Duration.ofSeconds(5)));
        assertThat(config.jwt().hasPublicKeys()).isFalse();
        assertThat(config.loginThrottle()).isEqualTo(new LoginThrottleSettings(5, 20, Duration.ofMillis(250),
                Duration.ofMillis(5_000), 500, Duration.ofSeconds(300), Duration.ofSeconds(600)));
        assertThat(config.limits()).isEqualTo(new Limits(100, 200, 512 * 1024, 1000, 1_000_000L,
                Duration.ofMillis(500)));
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
    void securityAndLimitSettingsComeFromTheFile() throws Exception {
        final ExtensionConfig config = load(settings("""
                <jwks-url>https://login.example.com/jwks.json</jwks-url>
                <jwt-issuer>https://login.example.com/</jwt-issuer>
                <jwt-audience>pulsehub</jwt-audience>
                <jwt-clock-skew-s>30</jwt-clock-skew-s>
                <login-free-failures-per-client>2</login-free-failures-per-client>
                <login-free-failures-per-address>4</login-free-failures-per-address>
                <login-delay-base-ms>100</login-delay-base-ms>
                <login-delay-max-ms>800</login-delay-max-ms>
                <login-block-after-failures-per-address>0</login-block-after-failures-per-address>
                <login-block-s>10</login-block-s>
                <login-failure-memory-s>60</login-failure-memory-s>
                <device-publish-rate>5</device-publish-rate>
                <device-publish-burst>7</device-publish-burst>
                <max-payload-bytes>4096</max-payload-bytes>
                <max-readings-per-payload>50</max-readings-per-payload>
                <backlog-high-water-mark>123</backlog-high-water-mark>
                <backlog-sample-ms>100</backlog-sample-ms>"""));

        assertThat(config.jwt()).isEqualTo(new JwtSettings(null, null,
                URI.create("https://login.example.com/jwks.json"), "https://login.example.com/", "pulsehub",
                Duration.ofSeconds(30)));
        assertThat(config.loginThrottle()).isEqualTo(new LoginThrottleSettings(2, 4, Duration.ofMillis(100),
                Duration.ofMillis(800), 0, Duration.ofSeconds(10), Duration.ofSeconds(60)));
        assertThat(config.limits()).isEqualTo(new Limits(5, 7, 4096, 50, 123, Duration.ofMillis(100)));
    }

    @Test
    void everyNewSettingHasAHubEnvironmentOverride() throws Exception {
        env.put("HUB_JWT_ISSUER", "https://env.example/");
        env.put("HUB_JWT_AUDIENCE", "env-audience");
        env.put("HUB_DEVICE_PUBLISH_RATE", "9");
        env.put("HUB_MAX_PAYLOAD_BYTES", "2048");
        env.put("HUB_MAX_READINGS_PER_PAYLOAD", "20");
        env.put("HUB_BACKLOG_HIGH_WATER_MARK", "5000000000");
        env.put("HUB_LOGIN_FREE_FAILURES_PER_CLIENT", "8");

        final ExtensionConfig config = load(settings("<device-publish-rate>1</device-publish-rate>"));

        assertThat(config.jwt().issuer()).isEqualTo("https://env.example/");
        assertThat(config.jwt().audience()).isEqualTo("env-audience");
        assertThat(config.limits().devicePublishRate()).isEqualTo(9);
        assertThat(config.limits().maxPayloadBytes()).isEqualTo(2048);
        assertThat(config.limits().maxReadingsPerPayload()).isEqualTo(20);
        assertThat(config.limits().backlogHighWaterMark()).isEqualTo(5_000_000_000L);
        assertThat(config.loginThrottle().freeFailuresPerClient()).isEqualTo(8);
        assertThat(ConfigLoader.envOf("jwks-file")).isEqualTo("HUB_JWKS_FILE");
    }

    @Test
    void jwksFileWithPublicKeysIsLoadedAtStartup() throws Exception {
        final Path jwks = Files.writeString(dir.resolve("jwks.json"),
                Jwts.publicJwks(Jwts.rsa("rsa-1"), Jwts.ec("ec-1")));
        env.put("HUB_JWKS_FILE", jwks.toString());

        final ExtensionConfig config = load(settings(""));

        assertThat(config.jwt().jwksFile()).isEqualTo(jwks);
        assertThat(config.jwt().jwks().getKeys()).extracting(key -> key.getKeyID()).containsExactly("rsa-1", "ec-1");
        assertThat(config.jwt().hasPublicKeys()).isTrue();
        assertThat(config.toString()).contains("2 keys");
    }

    @Test
    void jwksFileWithAPrivateKeyIsRefused() throws Exception {
        final Path jwks = Files.writeString(dir.resolve("jwks.json"), new JWKSet(Jwts.rsa("rsa-1")).toString(false));

        assertThatThrownBy(() -> load(settings("<jwks-file>" + jwks + "</jwks-file>")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("contains private or secret keys");
    }

    @Test
    void unusableJwksFilesAreRefused() throws Exception {
        final Path garbage = Files.writeString(dir.resolve("garbage.json"), "{\"keys\": 7}");
        final Path empty = Files.writeString(dir.resolve("empty.json"), "{\"keys\": []}");

        assertThatThrownBy(() -> load(settings("<jwks-file>" + dir.resolve("absent.json") + "</jwks-file>")))
                .hasMessageContaining("cannot be read");
        assertThatThrownBy(() -> load(settings("<jwks-file>" + garbage + "</jwks-file>")))
                .hasMessageContaining("is not a JWK set");
        assertThatThrownBy(() -> load(settings("<jwks-file>" + empty + "</jwks-file>")))
                .hasMessageContaining("holds no RSA or EC signing key");
    }

    @Test
    void jwksUrlMustBeHttpsUnlessItIsLoopback() throws Exception {
        assertThat(load(settings("<jwks-url>http://127.0.0.1:9/jwks.json</jwks-url>")).jwt().jwksUrl())
                .isEqualTo(URI.create("http://127.0.0.1:9/jwks.json"));
        assertThat(load(settings("<jwks-url>http://localhost:9/jwks.json</jwks-url>")).jwt().jwksUrl()).isNotNull();
        assertThatThrownBy(() -> load(settings("<jwks-url>http://login.example.com/jwks.json</jwks-url>")))
                .hasMessageContaining("jwks-url must be an https:// URL");
        assertThatThrownBy(() -> load(settings("<jwks-url>http://127.0.0.1.evil.example/jwks.json</jwks-url>")))
                .hasMessageContaining("jwks-url must be an https:// URL");
        assertThatThrownBy(() -> load(settings("<jwks-url>file:///etc/passwd</jwks-url>")))
                .hasMessageContaining("jwks-url");
    }

    @Test
    void jwksFileAndUrlTogetherAreRefused() throws Exception {
        final Path jwks = Files.writeString(dir.resolve("jwks.json"), Jwts.publicJwks(Jwts.rsa("rsa-1")));

        assertThatThrownBy(() -> load(settings("<jwks-file>" + jwks + "</jwks-file>"
                + "<jwks-url>https://login.example.com/jwks.json</jwks-url>")))
                .hasMessageContaining("jwks-file and jwks-url are both set");
    }

    @Test
    void limitsAreBoundedByTheContract() {
        assertThatThrownBy(() -> load(settings("<max-readings-per-payload>1001</max-readings-per-payload>")))
                .hasMessageContaining("max-readings-per-payload must be between 1 and 1000, was 1001");
        assertThatThrownBy(() -> load(settings("<device-publish-rate>0</device-publish-rate>")))
                .hasMessageContaining("device-publish-rate must be between 1");
        assertThatThrownBy(() -> load(settings("<backlog-high-water-mark>0</backlog-high-water-mark>")))
                .hasMessageContaining("backlog-high-water-mark must be between 1");
    }

    @Test
    void throttleSettingsMustBeConsistent() {
        assertThatThrownBy(() -> load(settings("""
                <login-delay-base-ms>1000</login-delay-base-ms>
                <login-delay-max-ms>500</login-delay-max-ms>
                <login-free-failures-per-address>50</login-free-failures-per-address>
                <login-block-after-failures-per-address>40</login-block-after-failures-per-address>""")))
                .hasMessageContaining("login-delay-max-ms (500) must be at least login-delay-base-ms (1000)")
                .hasMessageContaining("login-block-after-failures-per-address (40) must be 0 (never block) or more "
                        + "than login-free-failures-per-address (50)");
    }

    @Test
    void missingFileIsRefused() {
        assertThatThrownBy(() -> new ConfigLoader(env::get).load(dir.resolve("absent.xml")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("does not exist");
    }
}
