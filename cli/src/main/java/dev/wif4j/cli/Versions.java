package dev.wif4j.cli;

import dev.wif4j.WorkloadIdentity;
import picocli.CommandLine.IVersionProvider;

/** {@code wif4j --version}. */
final class Versions implements IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = WorkloadIdentity.class.getPackage().getImplementationVersion();
        return new String[] {"wif4j " + (version == null ? "(development build)" : version),
            "Java " + Runtime.version()};
    }
}
