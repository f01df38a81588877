package io.pulsehub.simulator.watch;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;

import io.pulsehub.contract.Aggregate;
import io.pulsehub.contract.MetricSummary;

/** One aggregate as one line a person can read while it scrolls by. */
public final class AggregateLine {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private AggregateLine() {
    }

    /**
     * E.g. {@code 14:03:10–14:03:20  d1  10s  temperature mean 21.5 min 21 max 22.3 count 6  humidity ...}.
     *
     * @param retained true when the hub delivered it from its retained store, i.e. it is not new
     */
    public static String format(final Aggregate aggregate, final boolean retained, final ZoneId zone) {
        final StringBuilder line = new StringBuilder()
                .append(TIME.format(Instant.ofEpochMilli(aggregate.start()).atZone(zone)))
                .append('–')
                .append(TIME.format(Instant.ofEpochMilli(aggregate.end()).atZone(zone)))
                .append("  ").append(aggregate.device())
                .append("  ").append(aggregate.window());
        for (final Map.Entry<String, MetricSummary> metric : aggregate.metrics().entrySet()) {
            final MetricSummary summary = metric.getValue();
            line.append("  ").append(metric.getKey())
                    .append(" mean ").append(number(summary.mean()))
                    .append(" min ").append(number(summary.min()))
                    .append(" max ").append(number(summary.max()))
                    .append(" count ").append(summary.count());
        }
        if (aggregate.revision() > 0) {
            line.append("  (revision ").append(aggregate.revision()).append(')');
        }
        if (retained) {
            line.append("  (retained)");
        }
        return line.toString();
    }

    static String number(final double value) {
        if (!Double.isFinite(value)) {
            return Double.toString(value);
        }
        return BigDecimal.valueOf(value).setScale(2, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }
}
