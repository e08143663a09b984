/**
 * The {@code wif4j} command: detection report, identity and access tokens for scripts, offline rule
 * checks, a token file kept fresh for other programs, and a demo on loopback.
 */
module dev.wif4j.cli {
    requires transitive dev.wif4j;
    requires dev.wif4j.testkit;
    requires info.picocli;
    requires com.fasterxml.jackson.databind;
    requires com.nimbusds.jose.jwt;

    exports dev.wif4j.cli;

    // picocli fills the commands' fields reflectively.
    opens dev.wif4j.cli to info.picocli;
}
