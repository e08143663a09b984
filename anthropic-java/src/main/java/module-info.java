/**
 * wif4j inside the official Claude Java client ({@code com.anthropic:anthropic-java}): an interceptor that
 * authorises every attempt with a workload-identity access token.
 */
module dev.wif4j.anthropic {
    requires transitive dev.wif4j;
    requires transitive com.anthropic.core;

    exports dev.wif4j.anthropic;
}
