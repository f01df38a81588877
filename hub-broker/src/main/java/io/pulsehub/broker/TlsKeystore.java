package io.pulsehub.broker;

import java.io.IOException;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.util.Collections;
import java.util.List;

/**
 * Opens the configured keystore before HiveMQ does: HiveMQ only logs a listener it cannot start, which would leave a
 * broker that looks up but serves no TLS.
 */
final class TlsKeystore {

    private TlsKeystore() {
    }

    static void requireUsable(final TlsSettings tls) {
        final String where = TlsSettings.KEYSTORE_ENV + " " + tls.keystore();
        if (!Files.isRegularFile(tls.keystore()) || !Files.isReadable(tls.keystore())) {
            throw new BrokerStartupException(where + " is not a readable file");
        }
        final KeyStore store;
        try {
            store = KeyStore.getInstance(tls.keystore().toFile(), tls.keystorePassword().toCharArray());
        } catch (final IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new BrokerStartupException(where + " cannot be opened: wrong "
                        + TlsSettings.KEYSTORE_PASSWORD_ENV, e);
            }
            throw new BrokerStartupException(where + " cannot be read: " + e.getMessage(), e);
        } catch (final GeneralSecurityException | IllegalArgumentException e) {
            throw new BrokerStartupException(where + " is not a PKCS12 or JKS keystore: " + e.getMessage(), e);
        }
        requirePrivateKey(store, tls, where);
    }

    private static void requirePrivateKey(final KeyStore store, final TlsSettings tls, final String where) {
        try {
            final List<String> keys = Collections.list(store.aliases()).stream()
                    .filter(alias -> isKeyEntry(store, alias))
                    .toList();
            if (keys.isEmpty()) {
                throw new BrokerStartupException(where + " holds no private key; it needs the server's key and "
                        + "certificate chain");
            }
            for (final String alias : keys) {
                store.getKey(alias, tls.privateKeyPassword().toCharArray());
            }
        } catch (final UnrecoverableKeyException e) {
            throw new BrokerStartupException(where + ": the private key cannot be recovered; set "
                    + TlsSettings.KEY_PASSWORD_ENV + " to its password", e);
        } catch (final GeneralSecurityException e) {
            throw new BrokerStartupException(where + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static boolean isKeyEntry(final KeyStore store, final String alias) {
        try {
            return store.isKeyEntry(alias);
        } catch (final GeneralSecurityException e) {
            throw new BrokerStartupException("cannot read entry " + alias + " of " + TlsSettings.KEYSTORE_ENV + ": "
                    + e.getMessage(), e);
        }
    }
}
