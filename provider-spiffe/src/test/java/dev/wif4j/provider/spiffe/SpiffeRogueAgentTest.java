package dev.wif4j.provider.spiffe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wif4j.WorkloadIdentity;
import dev.wif4j.WorkloadIdentityException;
import dev.wif4j.testkit.FakeDetectionContext;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rogue "agents" on the configured TCP address, raw sockets that never read. The one that floods the client with
 * empty HTTP/2 SETTINGS frames (each asks for an acknowledgement, which then has nowhere to go) is met by a client in
 * a JVM of its own with a 64 MiB heap, {@code child.FetchOnCommand}, so that a client that queues without end runs
 * out of memory there and not in the test's JVM; a silent one and one that speaks garbage, here.
 */
class SpiffeRogueAgentTest {
    /** The Workload API call's bound in the child ({@code WIF4J_SPIFFE_TIMEOUT}). */
    private static final long TIMEOUT_MS = 2000;
    /**
     * What a failure may take beyond the timeout: the connection's start and stop, and a JVM sharing two cores with a
     * build. A client that queues without end runs out of memory, or keeps the caller past a minute.
     */
    private static final long MARGIN_MS = 2000;
    private static final Pattern DONE = Pattern.compile("done (\\d+) ms (.*)");

    @TempDir
    Path home;

    private RawAgent agent;

    @AfterEach
    void stop() throws IOException {
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    @DisplayName("a SETTINGS flood that is never read: each fetch fails within the timeout with one connection, "
            + "not retried; memory stays within a 64 MiB heap; SIGTERM ends the JVM in the middle of a fetch")
    void settingsFloodIsBounded() throws Exception {
        agent = RawAgent.settingsFlood();
        List<String> command = List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-Xmx64m", "-XX:+ExitOnOutOfMemoryError", "-Duser.home=" + home,
                "-cp", System.getProperty("java.class.path"), "child.FetchOnCommand");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().put("AWS_EC2_METADATA_DISABLED", "true");
        pb.environment().put("WIF4J_PROVIDER", "spiffe");
        pb.environment().put("SPIFFE_ENDPOINT_SOCKET", agent.address());
        pb.environment().put("WIF4J_SPIFFE_TIMEOUT", TIMEOUT_MS + "ms");
        pb.environment().put("ANTHROPIC_FEDERATION_RULE_ID", "fdrl_rogue");
        pb.environment().put("ANTHROPIC_ORGANIZATION_ID", "123e4567-e89b-12d3-a456-426614174000");
        pb.environment().put("ANTHROPIC_BASE_URL", "http://127.0.0.1:9"); // never reached: no identity token
        pb.environment().put("ANTHROPIC_CONFIG_DIR", home.resolve("anthropic").toString());
        Process child = pb.start();
        List<String> transcript = new CopyOnWriteArrayList<>();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    transcript.add(line);
                    lines.add(line);
                }
            } catch (IOException e) {
                transcript.add("(reading the child: " + e + ")");
            }
        });
        reader.setDaemon(true);
        reader.start();
        try (OutputStream commands = child.getOutputStream()) {
            assertEquals("ready", next(lines, 30_000, transcript), String.join("\n", transcript));
            // On the main thread, as an application waiting in fetchIdentityToken() (the first one loads gRPC's
            // classes, so only its outcome counts), then through the exchange, whose retries would multiply the
            // connections if the failure were retryable.
            List<String> rounds = List.of("fetch", "fetch", "fetch", "token");
            for (int i = 0; i < rounds.size(); i++) {
                String what = rounds.get(i);
                int before = agent.connections();
                commands.write((what + "\n").getBytes(StandardCharsets.UTF_8));
                commands.flush();
                String line = next(lines, TIMEOUT_MS + MARGIN_MS + 10_000, transcript);
                Matcher done = DONE.matcher(line);
                assertTrue(done.matches(), what + ": " + String.join("\n", transcript));
                long took = Long.parseLong(done.group(1));
                assertTrue(i == 0 || took < TIMEOUT_MS + MARGIN_MS, what + " took " + took + " ms: "
                        + String.join("\n", transcript));
                assertTrue(done.group(2).contains("sent HTTP/2 frames that each need an answer (SETTINGS or PING) "
                        + "and left the answers unread"), line);
                assertEquals(before + 1, agent.connections(), what + ": one connection per failure, not retried");
            }
            // SIGTERM while the client is in the middle of a flooded fetch.
            commands.write("fetch\n".getBytes(StandardCharsets.UTF_8));
            commands.flush();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (agent.connections() < rounds.size() + 1 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(rounds.size() + 1, agent.connections(), String.join("\n", transcript));
            child.destroy();
            assertTrue(child.waitFor(10, TimeUnit.SECONDS), "SIGTERM did not end the JVM: "
                    + String.join("\n", transcript));
            assertEquals(143, child.exitValue(), String.join("\n", transcript)); // 128 + SIGTERM
        } finally {
            child.destroyForcibly();
            reader.join(5_000);
        }
        String output = String.join("\n", transcript);
        assertFalse(Pattern.compile("OutOf\\w*MemoryError").matcher(output).find(), output);
    }

    @Test
    @DisplayName("an agent that accepts and never says a word: each attempt ends at the timeout, retried by the "
            + "exchange (3 connections), one token() within the exchange's bound")
    void silentAgentIsBounded() throws Exception {
        agent = new RawAgent((out, end) -> Thread.sleep(TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())));
        WorkloadIdentityException e = tokenFails(500);
        assertTrue(e.getMessage().contains("did not answer within 500 ms"), e.getMessage());
        assertEquals(3, agent.connections(), "retryable: the exchange's 3 attempts");
    }

    @Test
    @DisplayName("an agent that answers garbage and never reads: each attempt fails at once, retried by the exchange "
            + "(3 connections), one token() well within the bound")
    void garbageAgentIsBounded() throws Exception {
        byte[] garbage = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".repeat(100)
                .getBytes(StandardCharsets.US_ASCII);
        agent = new RawAgent((out, end) -> {
            out.write(garbage);
            out.flush();
            Thread.sleep(TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()));
        });
        WorkloadIdentityException e = tokenFails(500);
        assertTrue(e.getMessage().contains("the SPIFFE Workload API at " + agent.address() + " answered"),
                e.getMessage());
        assertEquals(3, agent.connections(), "retryable: the exchange's 3 attempts");
    }

    /** One {@code token()} against the agent, with the given Workload API timeout; fails within 30 s. */
    private WorkloadIdentityException tokenFails(long timeoutMillis) {
        long start = System.nanoTime();
        try (FakeDetectionContext context = FakeDetectionContext.builder()
                .env("WIF4J_PROVIDER", "spiffe")
                .env("SPIFFE_ENDPOINT_SOCKET", agent.address())
                .env("WIF4J_SPIFFE_TIMEOUT", timeoutMillis + "ms")
                .env("ANTHROPIC_FEDERATION_RULE_ID", "fdrl_rogue")
                .env("ANTHROPIC_ORGANIZATION_ID", "123e4567-e89b-12d3-a456-426614174000")
                .env("ANTHROPIC_BASE_URL", "http://127.0.0.1:9").build();
                WorkloadIdentity identity = WorkloadIdentity.builder().context(context).build()) {
            WorkloadIdentityException e = assertThrows(WorkloadIdentityException.class,
                    () -> identity.credentials().token());
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(took.compareTo(Duration.ofSeconds(30)) < 0, "took " + took);
            return e;
        }
    }

    private static String next(BlockingQueue<String> lines, long millis, List<String> transcript)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (true) {
            String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null || line.equals("ready") || line.startsWith("done ")) {
                assertNotNull(line, "no answer within " + millis + " ms: " + String.join("\n", transcript));
                return line;
            }
        }
    }

    /**
     * A raw TCP "Workload API" on 127.0.0.1 that treats every connection with {@code behaviour} on a thread of its own
     * (bounded to a minute) and reads nothing.
     */
    private static final class RawAgent implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        private final AtomicInteger connections = new AtomicInteger();
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();
        private final List<Thread> threads = new CopyOnWriteArrayList<>();
        private final Behaviour behaviour;

        /** What the agent does with a connection; returns when done or when the connection fails. */
        interface Behaviour {
            void treat(OutputStream out, long endNanos) throws IOException, InterruptedException;
        }

        RawAgent(Behaviour behaviour) throws IOException {
            this.behaviour = behaviour;
            Thread acceptor = new Thread(this::accept, "raw-agent");
            acceptor.setDaemon(true);
            acceptor.start();
            threads.add(acceptor);
        }

        /** Empty SETTINGS frames as fast as the socket takes them: length 0, type 4, no flags, stream 0. */
        static RawAgent settingsFlood() throws IOException {
            byte[] frames = new byte[9 * 7000];
            for (int i = 0; i < frames.length; i += 9) {
                frames[i + 3] = 4;
            }
            return new RawAgent((out, end) -> {
                while (System.nanoTime() < end) {
                    out.write(frames);
                }
            });
        }

        String address() {
            return "tcp://127.0.0.1:" + server.getLocalPort();
        }

        int connections() {
            return connections.get();
        }

        private void accept() {
            try {
                while (true) {
                    Socket socket = server.accept();
                    sockets.add(socket);
                    connections.incrementAndGet();
                    Thread treat = new Thread(() -> {
                        try {
                            behaviour.treat(socket.getOutputStream(), System.nanoTime() + TimeUnit.SECONDS.toNanos(60));
                        } catch (IOException | InterruptedException e) {
                            // the client dropped the connection, or the agent is closed
                        }
                    }, "raw-agent-connection");
                    treat.setDaemon(true);
                    treat.start();
                    threads.add(treat);
                }
            } catch (IOException e) {
                // closed
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket socket : sockets) {
                socket.close();
            }
            for (Thread thread : threads) {
                thread.interrupt();
                try {
                    thread.join(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
