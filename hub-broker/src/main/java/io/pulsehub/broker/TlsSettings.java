package io.pulsehub.broker;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The TLS listeners, on only when a keystore is configured ({@code HUB_TLS_KEYSTORE}): MQTT over TLS and MQTT over
 * secure WebSocket, both offering TLSv1.3 and TLSv1.2 only.
 *
 * @param keystore           PKCS12 or JKS file holding the server's private key and certificate chain
 * @param keystorePassword   opens the keystore ({@code HUB_TLS_KEYSTORE_PASSWORD})
 * @param privateKeyPassword recovers the key ({@code HUB_TLS_KEY_PASSWORD}, defaults to the keystore password, which
 *                           is what keytool uses for PKCS12)
 * @param tlsPort            MQTT over TLS ({@code HUB_MQTT_TLS_PORT})
 * @param wssPort            MQTT over secure WebSocket, path {@link BrokerSettings#WS_PATH} ({@code HUB_MQTT_WSS_PORT})
 */
record TlsSettings(Path keystore, String keystorePassword, String privateKeyPassword, int tlsPort, int wssPort) {

    static final String KEYSTORE_ENV = "HUB_TLS_KEYSTORE";
    static final String KEYSTORE_PASSWORD_ENV = "HUB_TLS_KEYSTORE_PASSWORD";
    static final String KEY_PASSWORD_ENV = "HUB_TLS_KEY_PASSWORD";
    static final String TLS_PORT_ENV = "HUB_MQTT_TLS_PORT";
    static final String WSS_PORT_ENV = "HUB_MQTT_WSS_PORT";
    static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    static final int DEFAULT_TLS_PORT = 8883;
    static final int DEFAULT_WSS_PORT = 8001;

    /** Empty when no keystore is configured; the ports are read (and their defaults logged) only when TLS is on. */
    static Optional<TlsSettings> fromEnvironment(final Map<String, String> env, final Path workingDir,
                                                 final List<String> defaults) {
        final String keystore = env.get(KEYSTORE_ENV);
        if (keystore == null || keystore.isBlank()) {
            return Optional.empty();
        }
        final String password = env.get(KEYSTORE_PASSWORD_ENV);
        if (password == null || password.isEmpty()) {
            throw new BrokerStartupException(KEYSTORE_PASSWORD_ENV + " is required when " + KEYSTORE_ENV
                    + " is set");
        }
        final String keyPassword = env.get(KEY_PASSWORD_ENV);
        if (keyPassword == null || keyPassword.isEmpty()) {
            defaults.add(KEY_PASSWORD_ENV + "=<" + KEYSTORE_PASSWORD_ENV + ">");
        }
        final int tlsPort = BrokerSettings.port(env, TLS_PORT_ENV, DEFAULT_TLS_PORT, defaults);
        final int wssPort = BrokerSettings.port(env, WSS_PORT_ENV, DEFAULT_WSS_PORT, defaults);
        return Optional.of(new TlsSettings(workingDir.resolve(keystore.trim()).toAbsolutePath().normalize(), password,
                keyPassword == null || keyPassword.isEmpty() ? password : keyPassword, tlsPort, wssPort));
    }

    // The generated record toString would print both passwords.
    @Override
    public String toString() {
        return "TlsSettings[keystore=" + keystore + ", tlsPort=" + tlsPort + ", wssPort=" + wssPort + "]";
    }
}
