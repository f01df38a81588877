package io.pulsehub.simulator;

import java.time.Duration;
import java.util.concurrent.Callable;

import io.pulsehub.contract.AppTokens;
import io.pulsehub.contract.Identifiers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "app-token", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Prints an app token (HS256 JWT, sub = owner) signed with $" + AppTokens.JWT_SECRET_ENV
                + ": the MQTT password of an app that may watch the owner's devices.")
final class AppTokenCommand implements Callable<Integer> {

    @ParentCommand
    private Simulator simulator;

    @Spec
    private CommandSpec spec;

    @Option(names = "--owner", paramLabel = "OWNER", defaultValue = RunCommand.DEFAULT_OWNER,
            description = "Owner id, the token's subject. Default: ${DEFAULT-VALUE}.")
    private String owner;

    @Option(names = "--ttl", paramLabel = "DURATION", defaultValue = "24h", converter = DurationConverter.class,
            description = "How long the token is valid, e.g. 1h, 7d. Default: ${DEFAULT-VALUE}.")
    private Duration ttl;

    @Override
    public Integer call() {
        final String secret = simulator.env(AppTokens.JWT_SECRET_ENV);
        if (secret == null || secret.isEmpty()) {
            throw new CannotStartException(AppTokens.JWT_SECRET_ENV + " is not set; it must hold the hub's JWT secret"
                    + " (at least " + AppTokens.MIN_SECRET_BYTES + " bytes)");
        }
        final String ownerProblem = Identifiers.ownerIdProblem(owner);
        if (ownerProblem != null) {
            throw new ParameterException(spec.commandLine(), "--owner: " + ownerProblem);
        }
        final String token;
        try {
            token = AppTokens.mint(secret, owner, ttl);
        } catch (final IllegalArgumentException e) {
            throw new CannotStartException(e.getMessage(), e);
        }
        spec.commandLine().getOut().println(token);
        return Simulator.EXIT_OK;
    }
}
