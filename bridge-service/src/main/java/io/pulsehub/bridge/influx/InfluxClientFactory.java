package io.pulsehub.bridge.influx;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.pulsehub.bridge.config.BridgeConfig;
import io.pulsehub.contract.NoDelaySockets;
import jakarta.inject.Singleton;
import okhttp3.OkHttpClient;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;

import java.util.concurrent.TimeUnit;

@Factory
class InfluxClientFactory {

    @Singleton
    @Bean(preDestroy = "close")
    InfluxDB influxDB(final BridgeConfig config) {
        return InfluxDBFactory.connect(config.influxUrl(), http());
    }

    /**
     * Short connect timeout: an unreachable InfluxDB must show up in /health and the retry loop quickly.
     *
     * <p>Nagle's algorithm off: OkHttp leaves it on, and a write request larger than one buffer goes out in several
     * socket writes, the last of which then waited for InfluxDB's delayed ACK (40 ms on Linux). Every batch of 50 or
     * more readings took 45–55 ms instead of 2–8 ms, which was most of the publish → queryable latency.
     */
    static OkHttpClient.Builder http() {
        return new OkHttpClient.Builder()
                .connectTimeout(2, TimeUnit.SECONDS)
                .readTimeout(15, TimeUnit.SECONDS)
                .writeTimeout(15, TimeUnit.SECONDS)
                .retryOnConnectionFailure(false)
                .socketFactory(new NoDelaySockets());
    }
}
