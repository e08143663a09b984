package dev.wif4j.provider.spiffe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rogue "agent" on the configured TCP address that floods the client with empty HTTP/2 SETTINGS frames and never
 * reads (each one asks for an acknowledgement, which then has nowhere to go). The client runs in a JVM of its own
 * with a 64 MiB heap, as {@code child.FetchOnCommand}, so that a client that queues without end runs out of memory
 * there and not in the test's JVM.
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

    private SettingsFlood agent;

    @BeforeEach
    void start() throws IOException {
        agent = new SettingsFlood();
    }

    @AfterEach
    void stop() throws IOException {
        agent.close();
    }

    @Test
    @DisplayName("a SETTINGS flood that is never read: each fetch fails within the timeout with one connection, "
            + "not retried; memory stays within a 64 MiB heap; SIGTERM ends the JVM in the middle of a fetch")
    void settingsFloodIsBounded() throws Exception {
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
     * The rogue: on 127.0.0.1, writes empty SETTINGS frames (no connection preface is needed from a server) to every
     * connection as fast as it can, for at most a minute, and reads nothing.
     */
    private static final class SettingsFlood implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        private final AtomicInteger connections = new AtomicInteger();
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();
        private final List<Thread> threads = new ArrayList<>();

        SettingsFlood() throws IOException {
            Thread acceptor = new Thread(this::accept, "settings-flood");
            acceptor.setDaemon(true);
            acceptor.start();
            threads.add(acceptor);
        }

        String address() {
            return "tcp://127.0.0.1:" + server.getLocalPort();
        }

        int connections() {
            return connections.get();
        }

        private void accept() {
            byte[] frames = new byte[9 * 7000]; // length 0, type 4 (SETTINGS), no flags, stream 0: 9 bytes each
            for (int i = 0; i < frames.length; i += 9) {
                frames[i + 3] = 4;
            }
            try {
                while (true) {
                    Socket socket = server.accept();
                    sockets.add(socket);
                    connections.incrementAndGet();
                    Thread writer = new Thread(() -> flood(socket, frames), "settings-flood-writer");
                    writer.setDaemon(true);
                    writer.start();
                    synchronized (threads) {
                        threads.add(writer);
                    }
                }
            } catch (IOException e) {
                // closed
            }
        }

        private static void flood(Socket socket, byte[] frames) {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            try {
                OutputStream out = socket.getOutputStream();
                while (System.nanoTime() < end) {
                    out.write(frames);
                }
            } catch (IOException e) {
                // the client dropped the connection
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket socket : sockets) {
                socket.close();
            }
            synchronized (threads) {
                for (Thread thread : threads) {
                    try {
                        thread.join(5_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        }
    }
}
