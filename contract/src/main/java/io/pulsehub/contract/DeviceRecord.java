package io.pulsehub.contract;

/**
 * A provisioned device as the registry holds it: never the token itself, only its hash.
 */
public record DeviceRecord(String id, String owner, byte[] tokenSha256, boolean enabled, long createdAtMillis) {

    public boolean acceptsToken(final String presented) {
        return enabled && DeviceTokens.matches(presented, tokenSha256);
    }
}
