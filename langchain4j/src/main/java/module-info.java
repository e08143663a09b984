/**
 * wif4j inside LangChain4j's {@code AnthropicChatModel} and {@code AnthropicStreamingChatModel}: an HTTP client
 * builder that authorises every request with a workload-identity access token.
 *
 * <p>LangChain4j's jars (1.7 to 1.19) declare no module name, so on the module path they are automatic modules
 * named after their files: {@code langchain4j.http.client} and {@code langchain4j.core}, the names this
 * descriptor requires, as a user's own descriptor would.
 */
@SuppressWarnings("requires-transitive-automatic")
module dev.wif4j.langchain4j {
    requires transitive dev.wif4j;
    requires transitive langchain4j.http.client;
    requires langchain4j.core;

    exports dev.wif4j.langchain4j;
}
