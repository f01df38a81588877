package io.pulsehub.bridge.influx;

import io.pulsehub.bridge.config.BridgeConfig;
import jakarta.inject.Singleton;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBException;
import org.influxdb.dto.BatchPoints;
import org.influxdb.dto.Point;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;

import java.util.List;
import java.util.concurrent.TimeUnit;

/** The bridge's database in InfluxDB: batched writes, InfluxQL queries, existence and reachability. */
@Singleton
public class TelemetryStore {

    private final InfluxDB influx;
    private final String database;

    TelemetryStore(final InfluxDB influx, final BridgeConfig config) {
        this.influx = influx;
        this.database = config.influxDb();
    }

    public String database() {
        return database;
    }

    /** CREATE DATABASE is idempotent in InfluxDB 1.x, so every start (and every "database not found") may call it. */
    public void ensureDatabase() {
        check(influx.query(new Query("CREATE DATABASE \"" + database + "\"")), "CREATE DATABASE");
    }

    /**
     * Telemetry lines ({@link TelemetryPoints#appendLines}, ns precision) in one HTTP request; returns only once
     * InfluxDB answered 2xx.
     *
     * @throws InfluxDBException when InfluxDB is unreachable or refused the batch ({@link #refusesThePoints})
     */
    public void writeLines(final String lines) {
        if (lines.isEmpty()) {
            return;
        }
        influx.write(database, null, InfluxDB.ConsistencyLevel.ONE, TimeUnit.NANOSECONDS, lines);
    }

    /**
     * All points in one HTTP request; returns only once InfluxDB answered 2xx.
     *
     * @throws InfluxDBException when InfluxDB is unreachable or refused the batch ({@link #refusesThePoints})
     */
    public void write(final List<Point> points) {
        if (points.isEmpty()) {
            return;
        }
        influx.write(BatchPoints.database(database).precision(TimeUnit.NANOSECONDS).points(points).build());
    }

    /** Times in the result are epoch milliseconds. A missing database (dropped, or not created yet) is created. */
    public QueryResult query(final String influxql) {
        final QueryResult result = influx.query(new Query(influxql, database), TimeUnit.MILLISECONDS);
        if (isDatabaseNotFound(result)) {
            ensureDatabase();
            return check(influx.query(new Query(influxql, database), TimeUnit.MILLISECONDS), influxql);
        }
        return check(result, influxql);
    }

    private static boolean isDatabaseNotFound(final QueryResult result) {
        final String error = result.hasError() ? result.getError()
                : result.getResults() == null ? null : result.getResults().stream()
                .filter(QueryResult.Result::hasError).map(QueryResult.Result::getError).findFirst().orElse(null);
        return error != null && error.startsWith("database not found");
    }

    public void ping() {
        influx.ping();
    }

    /**
     * Whether InfluxDB refused the points themselves (a field type conflict, a time outside the retention policy,
     * unparsable data), which no retry cures. Everything else (outage, timeout, overload, missing database, wrong
     * credentials) is worth retrying: refusing data because of the server's state would drop it.
     */
    public static boolean refusesThePoints(final RuntimeException e) {
        return e instanceof InfluxDBException.FieldTypeConflictException
                || e instanceof InfluxDBException.PointsBeyondRetentionPolicyException
                || e instanceof InfluxDBException.UnableToParseException;
    }

    private static QueryResult check(final QueryResult result, final String statement) {
        if (result.hasError()) {
            throw new InfluxDBException(statement + ": " + result.getError());
        }
        if (result.getResults() != null) {
            for (final QueryResult.Result part : result.getResults()) {
                if (part.hasError()) {
                    throw new InfluxDBException(statement + ": " + part.getError());
                }
            }
        }
        return result;
    }
}
