package dev.wif4j.provider.authentik;

import dev.wif4j.provider.authentik.internal.ClientCredentialsSource;
import dev.wif4j.provider.authentik.internal.ClientSettings;
import dev.wif4j.spi.Detection;
import dev.wif4j.spi.DetectionContext;
import dev.wif4j.spi.IdentityProvider;
import dev.wif4j.spi.IdentityTokenSource;
import dev.wif4j.spi.support.ProviderSettings;
import dev.wif4j.spi.support.Setting;
import dev.wif4j.spi.support.SettingException;
import dev.wif4j.spi.support.Text;

/**
 * The {@code authentik} provider: an identity token from authentik, or any OIDC server (Okta, Keycloak...),
 * through the OAuth 2.0 client_credentials grant, authenticated by a client secret or a JWT client
 * assertion (authentik's federated machine-to-machine login, e.g. with a projected Kubernetes token).
 *
 * <p>Settings ({@code WIF4J_AUTHENTIK_*}, or {@code authentik.*} in code): {@code token.url} (or {@code host},
 * meaning {@code https://<host>/application/o/token/}), {@code client.id}, {@code client.secret.file} or
 * {@code client.secret}, or {@code client.assertion.file} (re-read on every fetch), {@code client.auth}
 * ({@code client_secret_post}, the default, or {@code client_secret_basic}: how a secret is sent), {@code scope}
 * (default {@code openid}), {@code token.field} ({@code id_token}, the default, or {@code access_token}),
 * {@code slug} (the application, to check {@code iss}), {@code max.lifetime.seconds} (default 3600). The
 * dashed spellings of earlier releases ({@code client-id}) are still read in code and system properties.
 *
 * <p>Each fetch makes one token request, at most. Advice in authentik's terms (its trailing-slash issuers, its
 * providers) is given only when the token URL or the issuer is authentik's ({@code /application/o/}) or a slug
 * is set; for any other server it speaks of the OIDC server.
 *
 * <p>Available only when configured; priority 50, above every detected cloud: configuring it is an
 * explicit choice.
 */
public final class AuthentikIdentityProvider implements IdentityProvider {

    /** Creates the provider; called by {@link java.util.ServiceLoader}. */
    public AuthentikIdentityProvider() {
    }

    @Override
    public String id() {
        return ClientSettings.PROVIDER;
    }

    @Override
    public int priority() {
        return 50;
    }

    @Override
    public Detection detect(DetectionContext context) {
        String unconfigured = unconfigured(context);
        if (unconfigured != null) {
            return Detection.unavailable(unconfigured);
        }
        // Configured, but a setting missing or malformed: a SettingException, which the detector reports.
        ClientSettings s = ClientSettings.read(context, "");
        return Detection.available("client_credentials for client " + Text.escape(s.clientId()) + " at "
                + s.shownTokenUrl() + " with " + s.credentialDescription() + "; the " + s.tokenField()
                + " is the identity token");
    }

    @Override
    public IdentityTokenSource open(DetectionContext context) {
        String unconfigured = unconfigured(context);
        if (unconfigured != null) {
            throw new SettingException("The authentik provider is " + unconfigured + ".");
        }
        return new ClientCredentialsSource(ClientSettings.read(context, "The authentik provider is "), context);
    }

    /**
     * What to set when none of the settings that name a server or a client is set (the provider is then simply not in
     * use, which detection reports without a {@link SettingException}), else {@code null}. Here, in plain code, so
     * that detection loads no other class of this provider: it runs in a cold JVM, where each class costs time.
     */
    private static String unconfigured(DetectionContext context) {
        ProviderSettings settings = ProviderSettings.of(context, ClientSettings.PROVIDER);
        Setting[] signals = {settings.get("token.url"), settings.get("host"), settings.get("client.id"),
            settings.get("client.secret.file"), settings.secret("client.secret"), settings.get("client.assertion.file")};
        for (Setting signal : signals) {
            if (signal.isSet()) {
                return null;
            }
        }
        return "not configured: set " + signals[0].variable() + " (or " + signals[1].variable() + "), "
                + signals[2].variable() + ", and " + signals[3].variable() + ", " + signals[4].variable() + " or "
                + signals[5].variable();
    }

    @Override
    public String toString() {
        return "AuthentikIdentityProvider";
    }
}
