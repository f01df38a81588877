package io.pulsehub.contract;

/** The answer to provisioning or rotation: the only moment the plain token exists outside the device. */
public record ProvisionedDevice(String id, String owner, String token) {
}
