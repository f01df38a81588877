package io.pulsehub.bridge.api;

import io.pulsehub.bridge.metrics.PipelineMeters;
import io.pulsehub.contract.Revocations;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * Tells every broker node that a device's credentials changed, so that each disconnects the device's client; its
 * next login is checked against the registry as it is now.
 */
@Singleton
class CredentialRevocations {

    private static final Logger log = LoggerFactory.getLogger(CredentialRevocations.class);

    private final UnifiedJedis redis;
    private final PipelineMeters meters;

    CredentialRevocations(final UnifiedJedis redis, final PipelineMeters meters) {
        this.redis = redis;
        this.meters = meters;
    }

    /**
     * Fire and forget (Redis PUBLISH): a broker node that is down has no connection of the device to cut, and it
     * checks the registry again at every login.
     */
    void revoke(final String deviceId) {
        final long brokers = redis.publish(Revocations.CHANNEL, deviceId);
        meters.revocationPublished();
        log.info("Revoked the credentials of device {}; {} broker node(s) told", deviceId, brokers);
    }
}
