package io.pulsehub.bridge.influx;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.pulsehub.bridge.config.BridgeConfig;
import jakarta.inject.Singleton;
import okhttp3.OkHttpClient;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;

import java.util.concurrent.TimeUnit;

@Factory
class InfluxClientFactory {

    /** Short connect timeout: an unreachable InfluxDB must show up in /health and the retry loop quickly. */
    @Singleton
    @Bean(preDestroy = "close")
    InfluxDB influxDB(final BridgeConfig config) {
        final OkHttpClient.Builder http = new OkHttpClient.Builder()
                .connectTimeout(2, TimeUnit.SECONDS)
                .readTimeout(15, TimeUnit.SECONDS)
                .writeTimeout(15, TimeUnit.SECONDS)
                .retryOnConnectionFailure(false);
        return InfluxDBFactory.connect(config.influxUrl(), http);
    }
}
