package dev.wif4j.testkit.internal;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A self-signed certificate for {@code localhost} and {@code 127.0.0.1}, made in memory, with the server-side
 * TLS context that presents it and a client-side one that trusts only it. For emulators that must speak https
 * (MSAL refuses an http authority). The certificate is made with BouncyCastle, an optional dependency of the
 * testkit: {@link #generate()} names it when it is missing.
 */
public final class SelfSignedTls {

    private static final char[] PASSWORD = "wif4j-testkit".toCharArray();
    /** The one BouncyCastle class looked for before any is used, so a missing jar gets a clear message. */
    private static final String PROBE = "org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder";

    private final X509Certificate certificate;
    private final SSLContext serverContext;
    private final SSLContext clientContext;
    private final KeyStore trustStore;

    private SelfSignedTls(X509Certificate certificate, SSLContext serverContext, SSLContext clientContext,
            KeyStore trustStore) {
        this.certificate = certificate;
        this.serverContext = serverContext;
        this.clientContext = clientContext;
        this.trustStore = trustStore;
    }

    /**
     * Generates a new key pair and certificate, valid for one day.
     *
     * @return the TLS material
     * @throws IllegalStateException when BouncyCastle is not on the class path (or its module not resolved)
     */
    public static SelfSignedTls generate() {
        requireBouncyCastle();
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(256);
            KeyPair pair = generator.generateKeyPair();
            X509Certificate certificate = Certificates.selfSigned(pair);

            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("localhost", pair.getPrivate(), PASSWORD, new X509Certificate[] {certificate});
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, PASSWORD);
            SSLContext server = SSLContext.getInstance("TLS");
            server.init(keyManagers.getKeyManagers(), null, null);

            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("localhost", certificate);
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(
                    TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trust);
            SSLContext client = SSLContext.getInstance("TLS");
            client.init(null, trustManagers.getTrustManagers(), null);
            return new SelfSignedTls(certificate, server, client, trust);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot generate a self-signed certificate for localhost", e);
        }
    }

    /**
     * The BouncyCastle part, in a class of its own: the JVM loads BouncyCastle's classes when it loads this one,
     * so {@link SelfSignedTls} itself loads without them and can say what is missing.
     */
    private static final class Certificates {

        private Certificates() {
        }

        static X509Certificate selfSigned(KeyPair pair) throws GeneralSecurityException, IOException {
            X500Name name = new X500Name("CN=localhost, O=wif4j testkit");
            Instant now = Instant.now();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
                    new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofMinutes(5))),
                    Date.from(now.plus(Duration.ofDays(1))), name, pair.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            try {
                return new JcaX509CertificateConverter().getCertificate(
                        builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
            } catch (OperatorCreationException e) {
                throw new GeneralSecurityException("cannot sign the certificate", e);
            }
        }
    }

    private static void requireBouncyCastle() {
        try {
            Class.forName(PROBE, false, SelfSignedTls.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException("the testkit's https emulators (EntraEmulator, "
                    + "AnthropicEmulator.builder().https()) make their certificate with BouncyCastle, an optional dependency: add org.bouncycastle:bcpkix-jdk18on to your test "
                    + "dependencies (on the module path also --add-modules org.bouncycastle.pkix)", e);
        }
    }

    /** @return the certificate */
    public X509Certificate certificate() {
        return certificate;
    }

    /** @return the context a server presents the certificate with */
    public SSLContext serverContext() {
        return serverContext;
    }

    /** @return a client context that trusts this certificate and nothing else */
    public SSLContext clientContext() {
        return clientContext;
    }

    /** @return a trust store holding only this certificate */
    public KeyStore trustStore() {
        return trustStore;
    }
}
