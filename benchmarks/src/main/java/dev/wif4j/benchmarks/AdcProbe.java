package dev.wif4j.benchmarks;

import com.google.auth.oauth2.GoogleCredentials;
import java.io.IOException;

/**
 * A child process of the start-up runs, the peer of {@link DetectProbe}: Google's Application Default
 * Credentials, which off the cloud end in an {@link IOException} once the metadata server does not answer.
 * Exits with 0 on that verdict, 2 if credentials were found.
 */
public final class AdcProbe {
    private AdcProbe() {}

    /**
     * Asks for the application default credentials once.
     *
     * @param args none
     */
    public static void main(String[] args) {
        int status;
        try {
            GoogleCredentials.getApplicationDefault();
            status = 2;
        } catch (IOException expected) {
            status = 0;
        }
        Runtime.getRuntime().exit(status);
    }
}
