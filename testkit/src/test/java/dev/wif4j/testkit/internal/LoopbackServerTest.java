package dev.wif4j.testkit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What every built-in emulator's routes rely on. */
class LoopbackServerTest {

    @Test
    void aHandlerThatThrowsIsAnswered500NotADroppedConnection() throws Exception {
        try (LoopbackServer server = new LoopbackServer("loopback-server-test", 0)) {
            server.route("/boom", exchange -> {
                throw new IllegalStateException("a bug in an emulator");
            });
            server.start();
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(server.baseUrl() + "/boom")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(500, response.statusCode());
            assertEquals("emulator failure: java.lang.IllegalStateException: a bug in an emulator", response.body());
        }
    }

    /**
     * Without TCP_NODELAY the second answer on a kept-alive connection came 40 ms late (the JDK server writes its
     * head and body apart, and Nagle held the body for the client's delayed ACK): ColdStartReport charged that to
     * wif4j, whose first token shares the application's connection. Timing it here would be a timed unit test; the
     * switch the JDK server reads is what this checks.
     */
    @Test
    void acceptedConnectionsSendWithoutNaglesDelay() {
        try (LoopbackServer server = new LoopbackServer("loopback-server-test", 0)) {
            server.start();
            assertEquals("true", System.getProperty(LoopbackServer.NO_DELAY));
        }
    }
}
