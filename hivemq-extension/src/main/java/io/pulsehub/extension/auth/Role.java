package io.pulsehub.extension.auth;

/** Who is on the other end of a connection; decides which topics it may touch. */
public enum Role {
    /** A provisioned device: subject = device id. */
    DEVICE,
    /** An owner's app with a valid JWT: subject = owner id. */
    APP,
    /** A hub service such as the bridge: subject = service name. */
    SERVICE
}
