package dev.wif4j.testkit.internal;

import com.sun.net.httpserver.HttpExchange;
import dev.wif4j.testkit.Fault;
import dev.wif4j.testkit.RecordedRequest;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An emulator endpoint's memory: every request it received, and the faults queued for the next ones.
 * One per endpoint, shared by every emulator so they record and misbehave alike. Thread-safe.
 */
public final class RequestLog {

    private final Queue<Fault> faults = new ConcurrentLinkedQueue<>();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final List<RecordedRequest> everyRequest;

    /** A log of its own. */
    public RequestLog() {
        this(new CopyOnWriteArrayList<>());
    }

    /**
     * A log for one endpoint of an emulator with several: each request also goes to the emulator's list.
     *
     * @param everyRequest the emulator's list of every request, thread-safe
     */
    public RequestLog(List<RecordedRequest> everyRequest) {
        this.everyRequest = Objects.requireNonNull(everyRequest, "everyRequest");
    }

    /**
     * Queues a fault for the next request; faults are used in order, one per request.
     *
     * @param fault the fault
     */
    public void enqueue(Fault fault) {
        faults.add(Objects.requireNonNull(fault, "fault"));
    }

    /** @return every request received, oldest first */
    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /** @return how many requests were received */
    public int size() {
        return requests.size();
    }

    /**
     * Reads a request's body (bounded) and records the request.
     *
     * @param exchange the exchange
     * @return the body
     * @throws IOException when the client went away
     */
    public byte[] receive(HttpExchange exchange) throws IOException {
        byte[] body = Exchanges.readBody(exchange);
        add(Exchanges.record(exchange, body));
        return body;
    }

    /**
     * Reads a request's body (bounded) and records the request.
     *
     * @param exchange the exchange
     * @return the request as recorded
     * @throws IOException when the client went away
     */
    public RecordedRequest record(HttpExchange exchange) throws IOException {
        return add(Exchanges.record(exchange, Exchanges.readBody(exchange)));
    }

    private RecordedRequest add(RecordedRequest request) {
        requests.add(request);
        everyRequest.add(request);
        return request;
    }

    /** @return the next queued fault, taken off the queue, or {@code null} */
    public Fault nextFault() {
        return faults.poll();
    }

    /**
     * Plays the next queued fault, if any.
     *
     * @param exchange the exchange
     * @param requestId the request id to send, or {@code null}
     * @return whether the fault answered the request (after a delay fault: {@code false}, answer normally)
     * @throws IOException when the client went away
     */
    public boolean playFault(HttpExchange exchange, String requestId) throws IOException {
        Fault fault = nextFault();
        return fault != null && Exchanges.serve(exchange, fault, requestId);
    }
}
