package io.pulsehub.simulator.load;

/** The MQTT protocol version devices speak. */
public enum MqttVersion {
    V3_1_1("3.1.1"), V5("5");

    private final String label;

    MqttVersion(final String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** @throws IllegalArgumentException for anything but 3, 3.1.1 or 5 */
    public static MqttVersion parse(final String text) {
        return switch (text.trim()) {
            case "3", "3.1.1" -> V3_1_1;
            case "5" -> V5;
            default -> throw new IllegalArgumentException("'" + text + "' is not an MQTT version; use 3 or 5");
        };
    }
}
