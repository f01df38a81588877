package io.pulsehub.simulator;

import io.pulsehub.simulator.load.MqttVersion;
import picocli.CommandLine;

final class MqttVersionConverter implements CommandLine.ITypeConverter<MqttVersion> {

    @Override
    public MqttVersion convert(final String value) {
        try {
            return MqttVersion.parse(value);
        } catch (final IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
