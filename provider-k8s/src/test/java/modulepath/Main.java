package modulepath;

import dev.wif4j.WorkloadIdentity;
import dev.wif4j.spi.DetectionContext;
import dev.wif4j.spi.IdentityProvider;
import dev.wif4j.spi.IdentityToken;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Run by {@code K8sModulePathTest} in a JVM of its own, with wif4j, the k8s provider and Fabric8 on the class path
 * or the module path: finds the provider through ServiceLoader and fetches a token with it. The pod's files are
 * read below the directory given as the first argument (a test's fake pod), its variables are the other arguments
 * ({@code NAME=value}).
 */
public final class Main {
    private Main() {
    }

    /**
     * @param args the directory that stands in for the pod's file system root, then the pod's variables
     */
    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        Map<String, String> env = new HashMap<>();
        for (String variable : Arrays.asList(args).subList(1, args.length)) {
            env.put(variable.substring(0, variable.indexOf('=')), variable.substring(variable.indexOf('=') + 1));
        }
        ServiceLoader.load(IdentityProvider.class).stream()
                .filter(p -> p.type().getName().endsWith("K8sIdentityProvider"))
                .forEach(p -> System.out.println("provider-module=" + p.type().getModule().getName()));
        Class<?> jdkHttp = Class.forName("io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory");
        System.out.println("jdk-http-module=" + jdkHttp.getModule().getName());
        DetectionContext pod = new DetectionContext() {
            @Override
            public Optional<String> env(String name) {
                return Optional.ofNullable(env.get(name)).filter(v -> !v.isBlank());
            }

            @Override
            public Path path(String absolutePath) {
                return root.resolve(absolutePath.replaceFirst("^/+", ""));
            }

            @Override
            public HttpClient httpClient() {
                return HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
            }
        };
        try (WorkloadIdentity identity = WorkloadIdentity.builder().federationRuleId("fdrl_modulepath")
                .organizationId("123e4567-e89b-12d3-a456-426614174000").provider("k8s").context(pod).build()) {
            IdentityToken token = identity.fetchIdentityToken();
            System.out.println("chosen=" + identity.providerId());
            System.out.println("subject=" + token.subject().orElse("?"));
        } catch (RuntimeException e) {
            System.out.println("error=" + e.getClass().getName() + ": " + e.getMessage());
            System.exit(3);
        }
    }
}
