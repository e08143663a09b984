package dev.wif4j.provider.spiffe;

import dev.wif4j.provider.spiffe.internal.SpiffeSettings;
import dev.wif4j.provider.spiffe.internal.SpiffeTokenSource;
import dev.wif4j.spi.Detection;
import dev.wif4j.spi.DetectionContext;
import dev.wif4j.spi.IdentityProvider;
import dev.wif4j.spi.IdentityTokenSource;
import dev.wif4j.spi.support.ProviderSettings;
import dev.wif4j.spi.support.Setting;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/**
 * The {@code spiffe} provider: a JWT-SVID from the SPIFFE Workload API, as a SPIRE agent (or a mesh built on one)
 * serves it to the workloads on its node. Its {@code sub} is the workload's SPIFFE ID and its {@code iss} the trust
 * domain's issuer, whose keys SPIRE's OIDC discovery provider publishes. Every fetch asks the Workload API anew
 * ({@code FetchJWTSVID} for the audience, over a connection of its own: grpc-java with java-spiffe's messages and
 * JWT-SVID checks), bounded by the {@code timeout} setting; over a Unix socket the HTTP/2 authority is
 * {@code localhost}.
 *
 * <p>Settings ({@code wif4j.spiffe.<key>} / {@code WIF4J_SPIFFE_<KEY>}): {@code socket} (else
 * {@code SPIFFE_ENDPOINT_SOCKET}: {@code unix:///path/to/agent.sock} or {@code tcp://127.0.0.1:PORT}),
 * {@code spiffe.id} (the SPIFFE ID to ask for when the workload has several; else the Workload API's first),
 * {@code timeout} (one call's bound; at most, and by default, wif4j's fetch timeout) and {@code audience} (default
 * {@code https://api.anthropic.com}).
 *
 * <p>Available when {@code SPIFFE_ENDPOINT_SOCKET} is set and, for a Unix socket, something is at its path;
 * detection never connects. Pinned ({@code WIF4J_PROVIDER=spiffe}), it is available before the agent has created
 * its socket.
 *
 * <p>Priority 35: {@code SPIFFE_ENDPOINT_SOCKET} is set for a workload on purpose, and a pod that has it also has a
 * Kubernetes service-account token (k8s, 30), which is not the identity meant.
 */
public final class SpiffeIdentityProvider implements IdentityProvider {

    /** Creates the provider; called by {@link java.util.ServiceLoader}. */
    public SpiffeIdentityProvider() {
    }

    @Override
    public String id() {
        return SpiffeSettings.ID;
    }

    @Override
    public int priority() {
        return 35;
    }

    @Override
    public Detection detect(DetectionContext context) {
        // No address, no signal: said in plain code before SpiffeSettings is loaded, since detection runs in a cold
        // JVM where each class costs time.
        Setting address = ProviderSettings.of(context, SpiffeSettings.ID).get("socket")
                .orEnv(SpiffeSettings.SOCKET_VARIABLE);
        if (!address.isSet()) {
            return Detection.unavailable(address.names() + " is not set: set it to " + SpiffeSettings.SOCKET_HINT + ".");
        }
        SpiffeSettings settings = SpiffeSettings.read(context);
        String evidence = settings.addressSource() + " is " + settings.address()
                + settings.spiffeId().map(id -> ", SPIFFE ID " + id).orElse("");
        Optional<Path> socket = settings.socketPath();
        if (socket.isEmpty()) {
            return Detection.available(evidence + " (a Workload API on loopback TCP; not contacted while detecting)");
        }
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(socket.get(), BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            if (context.pinned()) {
                return Detection.available(evidence + "; the socket does not exist yet, and is connected on every fetch");
            }
            return Detection.unavailable(evidence + ", but no socket is there: is the SPIRE agent running, and its "
                    + "socket directory mounted into this container? Choose this provider with WIF4J_PROVIDER=spiffe "
                    + "to wait for it");
        } catch (IOException | SecurityException e) {
            return Detection.unavailable(evidence + ", but its socket cannot be examined (" + e.getClass().getSimpleName()
                    + ")");
        }
        if (attributes.isDirectory() || attributes.isRegularFile()) {
            return Detection.unavailable(evidence + ", but that is a " + (attributes.isDirectory() ? "directory" : "file")
                    + ", not a socket: name the agent's socket itself, such as unix:///run/spire/agent-sockets/agent.sock");
        }
        boolean link = Files.isSymbolicLink(socket.get());
        return Detection.available(evidence + " (a socket is there" + (link ? ", through a symbolic link" : "")
                + "; not contacted while detecting)");
    }

    @Override
    public IdentityTokenSource open(DetectionContext context) {
        return new SpiffeTokenSource(SpiffeSettings.read(context), context);
    }

    @Override
    public String toString() {
        return "SpiffeIdentityProvider";
    }
}
