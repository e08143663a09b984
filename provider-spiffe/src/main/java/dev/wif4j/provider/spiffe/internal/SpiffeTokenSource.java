package dev.wif4j.provider.spiffe.internal;

import dev.wif4j.spi.DetectionContext;
import dev.wif4j.spi.IdentityToken;
import dev.wif4j.spi.IdentityTokenException;
import dev.wif4j.spi.IdentityTokenSource;
import dev.wif4j.spi.support.Text;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.spiffe.exception.JwtSvidException;
import io.spiffe.svid.jwtsvid.JwtSvid;
import io.spiffe.workloadapi.grpc.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * One fetch is one {@code FetchJWTSVID} call to the Workload API, over a connection made for that fetch and closed
 * after it: the SPIRE agent signs a JWT-SVID for the audience, and nothing is cached or retried here. A transient
 * failure is thrown retryable and wif4j's exchange decides whether to try again, within its own bounds.
 *
 * <p>The call goes through {@link WorkloadApiConnection} (grpc-java with java-spiffe's generated messages), not
 * java-spiffe's client: that one sends a Unix socket's path as the HTTP/2 authority, which strict servers refuse, and
 * waits inside a blocking gRPC call that a rogue peer can keep from ending. java-spiffe still checks the JWT-SVID
 * (its SPIFFE ID, audience and expiry). A connection per fetch means no connection state (gRPC's reconnect backoff
 * after an agent restart) carries from one attempt to the next, and no thread outlives a fetch.
 */
public final class SpiffeTokenSource implements IdentityTokenSource {
    private final SpiffeSettings settings;
    private final String upstream;
    private final System.Logger log;

    /**
     * @param settings the checked settings
     * @param context the context, for the logger
     */
    public SpiffeTokenSource(SpiffeSettings settings, DetectionContext context) {
        this.settings = settings;
        this.upstream = "the SPIFFE Workload API at " + settings.address();
        this.log = context.logger("dev.wif4j.provider.spiffe.SpiffeIdentityProvider");
    }

    @Override
    public IdentityToken fetch() {
        Workload.JWTSVIDRequest.Builder request = Workload.JWTSVIDRequest.newBuilder().addAudience(settings.audience());
        settings.spiffeId().ifPresent(id -> request.setSpiffeId(id.toString()));
        Workload.JWTSVIDResponse response;
        WorkloadApiConnection connection = open();
        try {
            response = connection.fetchJwtSvid(request.build(), settings.timeout());
        } catch (StatusRuntimeException e) {
            throw connection.flooded() ? flooded(e) : failure(e);
        } catch (TimeoutException e) {
            throw connection.flooded() ? flooded(e) : timedOut(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IdentityTokenException("Interrupted while asking " + upstream + ".", e);
        } catch (RuntimeException e) {
            throw new IdentityTokenException(upstream + " could not be asked (" + e.getClass().getSimpleName() + ").",
                    e, true);
        } finally {
            connection.close();
        }
        if (response.getSvidsCount() == 0) {
            throw new IdentityTokenException(upstream + " gave no usable JWT-SVID for the audience "
                    + Text.quote(settings.audience()) + " (its answer holds none)" + entitlementHint() + ".");
        }
        if (settings.spiffeId().isEmpty() && response.getSvidsCount() > 1) {
            List<String> ids = new ArrayList<>();
            response.getSvidsList().forEach(s -> ids.add(Text.escape(s.getSpiffeId())));
            log.log(System.Logger.Level.DEBUG, () -> "the Workload API offers " + ids + "; using the first (set "
                    + settings.spiffeIdVariable() + " to choose another)");
        }
        JwtSvid svid;
        try {
            svid = JwtSvid.parseInsecure(response.getSvids(0).getSvid(), Set.of(settings.audience()));
        } catch (JwtSvidException | IllegalArgumentException e) {
            // The answer is not a JWT-SVID wif4j can use (expired, wrong audience, no SPIFFE ID): java-spiffe's own
            // sentences ("Token has expired"), which never quote the token.
            throw new IdentityTokenException(upstream + " gave no usable JWT-SVID for the audience "
                    + Text.quote(settings.audience()) + " (" + Text.scrub(String.valueOf(e.getMessage())) + ").",
                    e);
        } catch (LinkageError e) {
            // On the module path, java-spiffe (an automatic module) does not pull in its explicit-module dependencies.
            throw new IdentityTokenException("java-spiffe cannot check the JWT-SVID: a library it needs is missing ("
                    + e.getClass().getSimpleName() + ": " + Text.scrub(String.valueOf(e.getMessage())) + "). "
                    + "On the module path, add --add-modules ALL-MODULE-PATH (see the README).", e);
        }
        if (settings.spiffeId().isPresent() && !settings.spiffeId().get().equals(svid.getSpiffeId())) {
            throw new IdentityTokenException(upstream + " answered the request for " + settings.spiffeId().get()
                    + " with a JWT-SVID for " + svid.getSpiffeId() + ": is it a SPIFFE Workload API?");
        }
        IdentityToken token = IdentityToken.parse(svid.getToken());
        log.log(System.Logger.Level.DEBUG, () -> "the Workload API issued " + token + " for " + svid.getSpiffeId());
        return token;
    }

    private WorkloadApiConnection open() {
        try {
            return new WorkloadApiConnection(settings);
        } catch (LinkageError e) {
            throw new IdentityTokenException("gRPC's Netty transport is missing or unusable ("
                    + e.getClass().getSimpleName() + ": " + Text.scrub(String.valueOf(e.getMessage()))
                    + "): io.grpc:grpc-netty-shaded comes with wif4j-provider-spiffe; keep it on the class path.", e);
        } catch (RuntimeException e) {
            throw new IdentityTokenException("cannot open a connection to " + upstream + " ("
                    + e.getClass().getSimpleName() + ": " + Text.scrub(String.valueOf(e.getMessage())) + ").",
                    e);
        }
    }

    private IdentityTokenException timedOut(Exception e) {
        return new IdentityTokenException(upstream + " did not answer within " + settings.timeout().toMillis()
                + " ms: is the SPIRE agent overloaded or stuck?", e, true);
    }

    private IdentityTokenException flooded(Exception e) {
        return new IdentityTokenException(upstream + " sent HTTP/2 frames that each need an answer (SETTINGS or "
                + "PING) and left the answers unread, past " + WorkloadApiConnection.MAX_UNREAD_BYTES / 1024
                + " KiB, so wif4j dropped the connection: is " + settings.address() + " a SPIFFE Workload API?", e);
    }

    private IdentityTokenException failure(StatusRuntimeException e) {
        Status status = e.getStatus();
        String said = status.getDescription() == null ? "" : ": " + Text.scrub(status.getDescription());
        String prefix = upstream + " answered " + status.getCode() + said;
        return switch (status.getCode()) {
            case DEADLINE_EXCEEDED -> timedOut(e);
            case UNAVAILABLE -> new IdentityTokenException(prefix + settings.socketPath()
                    .map(p -> " (is the SPIRE agent running, with its socket at " + p + "?)")
                    .orElse(" (is the SPIRE agent running and listening there?)") + ".", e, true);
            case PERMISSION_DENIED, UNAUTHENTICATED -> new IdentityTokenException(prefix + entitlementHint() + ".", e);
            case INVALID_ARGUMENT, UNIMPLEMENTED, FAILED_PRECONDITION, OUT_OF_RANGE, NOT_FOUND, ALREADY_EXISTS ->
                    new IdentityTokenException(prefix + ": is " + settings.address() + " a SPIFFE Workload API?", e);
            default -> new IdentityTokenException(prefix + ".", e, true); // INTERNAL, UNKNOWN, RESOURCE_EXHAUSTED, ...
        };
    }

    /** What to check when the agent gives this workload no identity. */
    private String entitlementHint() {
        String which = settings.spiffeId().map(id -> id + " (" + settings.spiffeIdSource() + ")")
                .orElse("a SPIFFE ID");
        return ": the agent issues " + which + " only to a workload that a registration entry's selectors match "
                + "(spire-server entry show), and answers so too while it has not yet synced its entries";
    }

    @Override
    public void close() {
        // Nothing outlives a fetch.
    }

    @Override
    public String toString() {
        return "SpiffeTokenSource[" + settings.address() + settings.spiffeId().map(id -> ", " + id).orElse("")
                + ", audience " + settings.audience() + "]";
    }
}
