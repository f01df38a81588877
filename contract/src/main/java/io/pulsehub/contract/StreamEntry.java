package io.pulsehub.contract;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * One telemetry publish as stored in its stream: the device, the broker time and the payload exactly as the device
 * sent it (already validated). Field names are one byte to keep entries compact.
 *
 * @param deviceId        the publishing device
 * @param brokerTimeNanos from {@link BrokerClock}; times the readings without {@code ts}
 * @param payload         the validated telemetry payload
 */
public record StreamEntry(String deviceId, long brokerTimeNanos, byte[] payload) {

    static final byte[] DEVICE = {'d'};
    static final byte[] BROKER_TIME = {'t'};
    static final byte[] PAYLOAD = {'p'};

    public Map<byte[], byte[]> toFields() {
        final Map<byte[], byte[]> fields = new HashMap<>(4);
        fields.put(DEVICE, deviceId.getBytes(StandardCharsets.UTF_8));
        fields.put(BROKER_TIME, Long.toString(brokerTimeNanos).getBytes(StandardCharsets.US_ASCII));
        fields.put(PAYLOAD, payload);
        return fields;
    }

    /**
     * @throws IllegalArgumentException when a field is missing or malformed (an entry not written by the hub)
     */
    public static StreamEntry fromFields(final Map<byte[], byte[]> fields) {
        // Jedis hands the fields over in a map that compares byte[] keys by content, where get() is a lookup; its
        // entrySet() copies every entry (a fifth of the bridge's decoding). Any other map is searched.
        byte[] device = fields.get(DEVICE);
        byte[] time = fields.get(BROKER_TIME);
        byte[] payload = fields.get(PAYLOAD);
        if (device == null || time == null || payload == null) {
            for (final Map.Entry<byte[], byte[]> field : fields.entrySet()) {
                if (Arrays.equals(DEVICE, field.getKey())) {
                    device = field.getValue();
                } else if (Arrays.equals(BROKER_TIME, field.getKey())) {
                    time = field.getValue();
                } else if (Arrays.equals(PAYLOAD, field.getKey())) {
                    payload = field.getValue();
                }
            }
        }
        if (device == null || time == null || payload == null) {
            throw new IllegalArgumentException("stream entry lacks one of the fields d, t, p");
        }
        final String deviceId = new String(device, StandardCharsets.UTF_8);
        if (!Identifiers.isDeviceId(deviceId)) {
            throw new IllegalArgumentException("stream entry has an invalid device id");
        }
        try {
            return new StreamEntry(deviceId, Long.parseLong(new String(time, StandardCharsets.US_ASCII)), payload);
        } catch (final NumberFormatException e) {
            throw new IllegalArgumentException("stream entry has a malformed broker time");
        }
    }

    public java.util.List<Reading> readings() throws InvalidTelemetryException {
        return TelemetryCodec.decode(payload, brokerTimeNanos);
    }
}
