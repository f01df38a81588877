package io.pulsehub.testsupport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/** Flattens an InfluxDB 1.x {@code /query} response into one map per point. */
final class InfluxRows {

    private InfluxRows() {
    }

    /** The message of the first error in the response, or {@code null} when there is none. */
    static String firstError(final JsonNode response) {
        if (response.hasNonNull("error")) {
            return response.get("error").asText();
        }
        for (final JsonNode result : response.path("results")) {
            if (result.hasNonNull("error")) {
                return result.get("error").asText();
            }
        }
        return null;
    }

    /**
     * Each row holds "time", the series' tags (present with GROUP BY) and every column. Integral numbers become
     * {@link Long}, others {@link Double}; note InfluxDB prints a float field holding 21.0 as {@code 21}.
     */
    static List<Map<String, Object>> flatten(final JsonNode response) {
        final List<Map<String, Object>> rows = new ArrayList<>();
        for (final JsonNode result : response.path("results")) {
            for (final JsonNode series : result.path("series")) {
                final List<String> columns = new ArrayList<>();
                series.path("columns").forEach(column -> columns.add(column.asText()));
                for (final JsonNode values : series.path("values")) {
                    final Map<String, Object> row = new LinkedHashMap<>();
                    if (columns.contains("time")) {
                        row.put("time", null); // keeps time the first key; the value comes with the columns
                    }
                    for (final Map.Entry<String, JsonNode> tag : series.path("tags").properties()) {
                        row.put(tag.getKey(), value(tag.getValue()));
                    }
                    for (int i = 0; i < columns.size(); i++) {
                        row.put(columns.get(i), value(values.path(i)));
                    }
                    rows.add(row);
                }
            }
        }
        return rows;
    }

    private static Object value(final JsonNode node) {
        if (node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isIntegralNumber()) {
            return node.longValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        return node.isTextual() ? node.textValue() : node.toString();
    }
}
