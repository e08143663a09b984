package dev.wif4j.provider.k8s.internal;

import dev.wif4j.spi.IdentityToken;
import dev.wif4j.spi.IdentityTokenException;
import dev.wif4j.spi.IdentityTokenSource;
import dev.wif4j.spi.support.FirstTokenLog;
import dev.wif4j.spi.support.Text;

/**
 * Reads a projected {@code serviceAccountToken} file on every fetch (the kubelet rotates it at 80% of its
 * lifetime) and refuses a token whose {@code aud} lacks the configured audience, before Anthropic does. The
 * read is local: a failure is not retryable, and only a regular file is opened.
 *
 * @param pod the pod's environment
 * @param path the token file, as the pod names it
 * @param audience the audience the token must carry
 * @param described where the first token's rule-relevant claims are described
 */
public record ProjectedTokenSource(PodEnvironment pod, String path, String audience, FirstTokenLog described)
        implements IdentityTokenSource {

    @Override
    public IdentityToken fetch() {
        IdentityToken token = pod.readToken(path, pod.tokenFileDescription());
        String problem = audienceProblem(token, path, audience);
        if (problem != null) {
            throw new IdentityTokenException(problem);
        }
        return described.once(token);
    }

    /**
     * Why a projected token will not do for the audience, or {@code null} if it will.
     *
     * @param token the token read
     * @param path where it was read
     * @param audience the configured audience
     * @return the explanation, naming the token's sub, iss and aud and the volume setting that fixes it
     */
    public static String audienceProblem(IdentityToken token, String path, String audience) {
        if (token.audience().contains(audience)) {
            return null;
        }
        String shown = Text.escape(path);
        String fix = "set `audience: " + audience + "` on the serviceAccountToken source of the projected volume "
                + "(volumes: - projected: sources: - serviceAccountToken: audience: " + audience
                + ", expirationSeconds: 3600, path: token)";
        if (PodEnvironment.onlyDefaultAudiences(token)) {
            return "The token at " + shown + " (" + PodEnvironment.describe(token) + ") carries only the cluster's "
                    + "default audience, not " + audience + ". Every pod has such tokens, so a federation rule must "
                    + "not accept them; " + fix + ".";
        }
        return "The token at " + shown + " (" + PodEnvironment.describe(token) + ") is not for " + audience + ": "
                + fix + ", or set k8s.audience (WIF4J_K8S_AUDIENCE) to the audience the volume and the federation "
                + "rule use.";
    }

    @Override
    public String toString() {
        return "ProjectedTokenSource[" + Text.escape(path) + ", audience=" + audience + "]";
    }
}
