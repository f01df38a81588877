package io.pulsehub.simulator.credentials;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.pulsehub.contract.Identifiers;

/**
 * What a device logs in with: client id and username = {@code id}, password = {@code token}.
 *
 * @param owner who the device was provisioned for; {@code null} when a credentials file does not say
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeviceCredentials(String id, String owner, String token) {

    public DeviceCredentials {
        final String problem = Identifiers.deviceIdProblem(id);
        if (problem != null) {
            throw new IllegalArgumentException(problem + ": '" + id + "'");
        }
        if (token == null || token.isEmpty()) {
            throw new IllegalArgumentException("device " + id + " has no token");
        }
    }

    /** Never the token: these end up in messages and logs. */
    @Override
    public String toString() {
        return "DeviceCredentials[id=" + id + ", owner=" + owner + "]";
    }
}
