package io.pulsehub.bridge.stream;

/** An entry that can never be written, with the reason that goes into the dead-letter stream. */
record DeadLetter(Delivery delivery, String reason) {
}
