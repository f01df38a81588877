package io.pulsehub.simulator;

import java.nio.charset.StandardCharsets;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.auth.PublishAuthorizer;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.SubscriptionAuthorizer;
import com.hivemq.extension.sdk.api.auth.parameter.PublishAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.PublishAuthorizerOutput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerOutput;
import com.hivemq.extension.sdk.api.interceptor.publish.PublishInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.packets.subscribe.SubackReasonCode;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;

/**
 * A stand-in for the hub's rules, small enough to read at a glance, so the simulator's handling of refusals can be
 * tested against a real broker: password "wrong" is refused at CONNECT; publishes of devices whose id starts with
 * "refused-" get a negative PUBACK with a reason string (as the hub refuses invalid telemetry); devices whose id
 * starts with "dropped-" are disconnected when they publish (as the hub treats MQTT 3.1.1 devices it cannot
 * acknowledge); subscriptions to aggregates of device "secret" are refused.
 */
final class GatekeeperExtension implements ExtensionMain, SimpleAuthenticator, PublishAuthorizer,
        SubscriptionAuthorizer, PublishInboundInterceptor {

    static final String WRONG_PASSWORD = "wrong";
    static final String REFUSED_PREFIX = "refused-";
    static final String DROPPED_PREFIX = "dropped-";
    static final String PUBLISH_REASON = "readings of this device are refused by the test";
    static final String SECRET_DEVICE = "secret";
    static final String SUBSCRIBE_REASON = "not your device";

    static EmbeddedExtension embedded() {
        return EmbeddedExtension.builder()
                .withId("simulator-test-gatekeeper")
                .withName("Simulator test gatekeeper")
                .withVersion("1")
                .withExtensionMain(new GatekeeperExtension())
                .build();
    }

    @Override
    public void extensionStart(final ExtensionStartInput input, final ExtensionStartOutput output) {
        Services.securityRegistry().setAuthenticatorProvider(providerInput -> this);
        Services.securityRegistry().setAuthorizerProvider(providerInput -> this);
        Services.initializerRegistry().setClientInitializer((initializer, client) ->
                client.addPublishInboundInterceptor(this));
    }

    @Override
    public void extensionStop(final ExtensionStopInput input, final ExtensionStopOutput output) {
    }

    @Override
    public void onConnect(final SimpleAuthInput input, final SimpleAuthOutput output) {
        final String password = input.getConnectPacket().getPassword()
                .map(buffer -> StandardCharsets.UTF_8.decode(buffer.duplicate()).toString())
                .orElse("");
        if (WRONG_PASSWORD.equals(password)) {
            output.failAuthentication(ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, "wrong token");
        } else {
            output.authenticateSuccessfully();
        }
    }

    @Override
    public void authorizePublish(final PublishAuthorizerInput input, final PublishAuthorizerOutput output) {
        if (input.getClientInformation().getClientId().startsWith(DROPPED_PREFIX)) {
            output.disconnectClient();
        } else {
            output.authorizeSuccessfully();
        }
    }

    @Override
    public void onInboundPublish(final PublishInboundInput input, final PublishInboundOutput output) {
        if (input.getClientInformation().getClientId().startsWith(REFUSED_PREFIX)) {
            output.preventPublishDelivery(AckReasonCode.NOT_AUTHORIZED, PUBLISH_REASON);
        }
    }

    @Override
    public void authorizeSubscribe(final SubscriptionAuthorizerInput input, final SubscriptionAuthorizerOutput output) {
        if (input.getSubscription().getTopicFilter().startsWith("aggregates/" + SECRET_DEVICE + "/")) {
            output.failAuthorization(SubackReasonCode.NOT_AUTHORIZED, SUBSCRIBE_REASON);
        } else {
            output.authorizeSuccessfully();
        }
    }
}
