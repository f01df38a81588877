package io.pulsehub.bridge;

import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Scripts and tests wait for this line (or for /health); it comes once every bean is wired and HTTP listens. */
@Singleton
class StartupLog {

    private static final Logger log = LoggerFactory.getLogger(StartupLog.class);

    @EventListener
    void started(final ServerStartupEvent event) {
        log.info("PulseHub bridge started; HTTP on {}", event.getSource().getURL());
    }
}
