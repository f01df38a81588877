package io.pulsehub.bridge;

import io.micronaut.runtime.Micronaut;

/** Starts the bridge; everything else is wired by Micronaut from the packages beside this class. */
public final class Application {

    private Application() {
    }

    public static void main(final String[] args) {
        Micronaut.build(args).mainClass(Application.class).banner(false).start();
    }
}
