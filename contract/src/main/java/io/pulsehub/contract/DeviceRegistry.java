package io.pulsehub.contract;

import redis.clients.jedis.UnifiedJedis;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The device registry in Redis: hash {@code pulsehub:device:{id}} (owner, token hash, enabled, created) and set
 * {@code pulsehub:owner:{owner}:devices}. The bridge's HTTP API writes it, the extension reads it at login. Every
 * write is one Lua script, so a device is never half provisioned or half removed.
 */
public final class DeviceRegistry {

    public static final String DEVICE_PREFIX = "pulsehub:device:";
    public static final String OWNER_PREFIX = "pulsehub:owner:";

    private static final String CREATE = """
            if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
            redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'token', ARGV[2], 'enabled', '1', 'created', ARGV[3])
            redis.call('SADD', KEYS[2], ARGV[4])
            return 1""";
    private static final String DELETE = """
            local owner = redis.call('HGET', KEYS[1], 'owner')
            if not owner then return 0 end
            redis.call('DEL', KEYS[1])
            redis.call('SREM', ARGV[1] .. owner .. ':devices', ARGV[2])
            return 1""";
    private static final String ROTATE = """
            if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
            redis.call('HSET', KEYS[1], 'token', ARGV[1])
            return 1""";

    private final UnifiedJedis redis;

    public DeviceRegistry(final UnifiedJedis redis) {
        this.redis = redis;
    }

    public static String deviceKey(final String deviceId) {
        return DEVICE_PREFIX + deviceId;
    }

    public static String ownerKey(final String owner) {
        return OWNER_PREFIX + owner + ":devices";
    }

    /**
     * @throws IllegalArgumentException      when the id or owner breaks the identifier rules
     * @throws DeviceAlreadyExistsException when the id is taken
     */
    public ProvisionedDevice provision(final String deviceId, final String owner) {
        requireValid(Identifiers.deviceIdProblem(deviceId));
        requireValid(Identifiers.ownerIdProblem(owner));
        final String token = DeviceTokens.generate();
        final Object created = redis.eval(CREATE, List.of(deviceKey(deviceId), ownerKey(owner)),
                List.of(owner, DeviceTokens.sha256Hex(token), Long.toString(System.currentTimeMillis()), deviceId));
        if (!Long.valueOf(1).equals(created)) {
            throw new DeviceAlreadyExistsException(deviceId);
        }
        return new ProvisionedDevice(deviceId, owner, token);
    }

    public Optional<DeviceRecord> find(final String deviceId) {
        if (!Identifiers.isDeviceId(deviceId)) {
            return Optional.empty();
        }
        final Map<String, String> fields = redis.hgetAll(deviceKey(deviceId));
        final String owner = fields.get("owner");
        final String token = fields.get("token");
        if (owner == null || token == null) {
            return Optional.empty();
        }
        return Optional.of(new DeviceRecord(deviceId, owner, HexFormat.of().parseHex(token),
                "1".equals(fields.get("enabled")), parseLong(fields.get("created"))));
    }

    /** @return whether the device existed */
    public boolean delete(final String deviceId) {
        if (!Identifiers.isDeviceId(deviceId)) {
            return false;
        }
        return Long.valueOf(1).equals(redis.eval(DELETE, List.of(deviceKey(deviceId)), List.of(OWNER_PREFIX, deviceId)));
    }

    /** @return the new token, or empty when there is no such device */
    public Optional<ProvisionedDevice> rotateToken(final String deviceId) {
        final Optional<DeviceRecord> device = find(deviceId);
        if (device.isEmpty()) {
            return Optional.empty();
        }
        final String token = DeviceTokens.generate();
        final Object rotated = redis.eval(ROTATE, List.of(deviceKey(deviceId)), List.of(DeviceTokens.sha256Hex(token)));
        return Long.valueOf(1).equals(rotated)
                ? Optional.of(new ProvisionedDevice(deviceId, device.get().owner(), token))
                : Optional.empty();
    }

    public Set<String> devicesOf(final String owner) {
        return Identifiers.isOwnerId(owner) ? redis.smembers(ownerKey(owner)) : Set.of();
    }

    private static void requireValid(final String problem) {
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    private static long parseLong(final String value) {
        try {
            return value == null ? 0 : Long.parseLong(value);
        } catch (final NumberFormatException e) {
            return 0;
        }
    }
}
