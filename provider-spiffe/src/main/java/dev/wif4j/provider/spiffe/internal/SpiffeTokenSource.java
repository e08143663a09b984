package dev.wif4j.provider.spiffe.internal;

import dev.wif4j.spi.DetectionContext;
import dev.wif4j.spi.IdentityToken;
import dev.wif4j.spi.IdentityTokenException;
import dev.wif4j.spi.IdentityTokenSource;
import dev.wif4j.spi.support.Text;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.spiffe.exception.JwtSvidException;
import io.spiffe.exception.SocketEndpointAddressException;
import io.spiffe.svid.jwtsvid.JwtSvid;
import io.spiffe.workloadapi.DefaultWorkloadApiClient;
import io.spiffe.workloadapi.WorkloadApiClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One fetch is one {@code FetchJWTSVID} call to the Workload API, over a client made for that fetch and closed
 * after it: the SPIRE agent signs a JWT-SVID for the audience, and nothing is cached or retried here. A transient
 * failure is thrown retryable and wif4j's exchange decides whether to try again, within its own bounds.
 *
 * <p>java-spiffe's blocking calls carry no deadline of their own and would wait for a silent agent forever, so each
 * call runs in a gRPC {@link Context} with a deadline of the {@code timeout} setting: the library's call inherits it
 * and gRPC ends the call with {@code DEADLINE_EXCEEDED}. A client per fetch means no connection state (gRPC's
 * reconnect backoff after an agent restart) carries from one attempt to the next, and no thread outlives a fetch.
 */
public final class SpiffeTokenSource implements IdentityTokenSource {
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final ThreadFactory DAEMONS = r -> {
        Thread t = new Thread(r, "wif4j-spiffe-" + THREADS.incrementAndGet());
        t.setDaemon(true); // a token source must never keep the JVM alive
        return t;
    };

    private final SpiffeSettings settings;
    private final String upstream;
    private final System.Logger log;
    private final ScheduledThreadPoolExecutor deadlines;

    /**
     * @param settings the checked settings
     * @param context the context, for the logger
     */
    public SpiffeTokenSource(SpiffeSettings settings, DetectionContext context) {
        this.settings = settings;
        this.upstream = "the SPIFFE Workload API at " + settings.address();
        this.log = context.logger("dev.wif4j.provider.spiffe.SpiffeIdentityProvider");
        this.deadlines = new ScheduledThreadPoolExecutor(1, DAEMONS);
        deadlines.setKeepAliveTime(10, TimeUnit.SECONDS);
        deadlines.allowCoreThreadTimeOut(true);
        deadlines.setRemoveOnCancelPolicy(true);
    }

    @Override
    public IdentityToken fetch() {
        JwtSvid svid;
        Context.CancellableContext deadline = Context.current()
                .withDeadlineAfter(settings.timeout().toMillis(), TimeUnit.MILLISECONDS, deadlines);
        try {
            svid = deadline.call(this::callWorkloadApi);
        } catch (IdentityTokenException e) {
            throw e;
        } catch (JwtSvidException e) {
            throw failure(e);
        } catch (Exception e) {
            throw new IdentityTokenException(upstream + " could not be asked (" + e.getClass().getSimpleName() + ").",
                    e, true);
        } finally {
            deadline.cancel(null);
        }
        if (settings.spiffeId().isPresent() && !settings.spiffeId().get().equals(svid.getSpiffeId())) {
            throw new IdentityTokenException(upstream + " answered the request for " + settings.spiffeId().get()
                    + " with a JWT-SVID for " + svid.getSpiffeId() + ": is it a SPIFFE Workload API?");
        }
        IdentityToken token = IdentityToken.parse(svid.getToken());
        log.log(System.Logger.Level.DEBUG, () -> "the Workload API issued " + token + " for " + svid.getSpiffeId());
        return token;
    }

    private JwtSvid callWorkloadApi() throws JwtSvidException {
        WorkloadApiClient client = newClient();
        try {
            if (settings.spiffeId().isPresent()) {
                return client.fetchJwtSvid(settings.spiffeId().get(), settings.audience());
            }
            List<JwtSvid> svids = client.fetchJwtSvids(settings.audience());
            if (svids.size() > 1) {
                List<String> ids = new ArrayList<>();
                svids.forEach(s -> ids.add(s.getSpiffeId().toString()));
                log.log(System.Logger.Level.DEBUG, () -> "the Workload API offers " + ids + "; using the first (set "
                        + settings.spiffeIdVariable() + " to choose another)");
            }
            return svids.get(0); // the library refuses an empty answer
        } finally {
            try {
                client.close(); // shuts the channel, its event loop and the executor down without waiting
            } catch (IOException e) {
                log.log(System.Logger.Level.DEBUG, () -> "closing the Workload API client: " + e);
            }
        }
    }

    private WorkloadApiClient newClient() {
        // java-spiffe shuts this executor down when the client closes; its threads are daemons.
        ExecutorService executor = Executors.newCachedThreadPool(DAEMONS);
        try {
            return DefaultWorkloadApiClient.newClient(DefaultWorkloadApiClient.ClientOptions.builder()
                    .spiffeSocketPath(settings.libraryAddress())
                    .executorService(executor)
                    .build());
        } catch (SocketEndpointAddressException e) {
            executor.shutdown();
            throw new IdentityTokenException("java-spiffe refuses the Workload API address " + settings.address()
                    + " (" + settings.addressSource() + "): " + Text.escape(e.getMessage(), 200) + ".", e);
        } catch (LinkageError e) {
            executor.shutdown();
            throw new IdentityTokenException("java-spiffe's gRPC transport is missing or unusable ("
                    + e.getClass().getSimpleName() + ": " + Text.escape(String.valueOf(e.getMessage()), 120)
                    + "): add io.spiffe:grpc-netty-linux (it ships with wif4j-provider-spiffe) to the class path; "
                    + "on the module path java-spiffe does not load, see the README.", e);
        } catch (RuntimeException e) {
            executor.shutdown();
            // grpc-netty-linux throws IllegalStateException for a Unix socket off Linux.
            throw new IdentityTokenException("java-spiffe cannot open " + upstream + " ("
                    + e.getClass().getSimpleName() + ": " + Text.escape(String.valueOf(e.getMessage()), 120)
                    + "): its Unix-socket transport (grpc-netty-linux) works on Linux only.", e);
        }
    }

    private IdentityTokenException failure(JwtSvidException e) {
        StatusRuntimeException rpc = null;
        for (Throwable t = e; t != null && rpc == null; t = t.getCause()) {
            if (t instanceof StatusRuntimeException s) {
                rpc = s;
            }
        }
        if (rpc == null) {
            // The call succeeded but the answer is not a JWT-SVID wif4j can use (empty, expired, wrong audience).
            // java-spiffe's own sentences ("Token has expired"); they never quote the token.
            Throwable why = e.getCause() instanceof JwtSvidException || e.getCause() instanceof IllegalArgumentException
                    ? e.getCause() : e;
            String said = Text.escape(String.valueOf(why.getMessage()), 200);
            String hint = said.contains("empty") ? entitlementHint() : "";
            return new IdentityTokenException(upstream + " gave no usable JWT-SVID for the audience "
                    + Text.quote(settings.audience()) + " (" + said + ")" + hint + ".", e);
        }
        Status status = rpc.getStatus();
        String said = status.getDescription() == null ? "" : ": " + Text.escape(status.getDescription(), 200);
        String prefix = upstream + " answered " + status.getCode() + said;
        return switch (status.getCode()) {
            case DEADLINE_EXCEEDED -> new IdentityTokenException(upstream + " did not answer within "
                    + settings.timeout().toMillis() + " ms: is the SPIRE agent overloaded or stuck?", e, true);
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
        deadlines.shutdownNow();
    }

    @Override
    public String toString() {
        return "SpiffeTokenSource[" + settings.address() + settings.spiffeId().map(id -> ", " + id).orElse("")
                + ", audience " + settings.audience() + "]";
    }
}
