package dev.wif4j.provider.azure;

import dev.wif4j.spi.IdentityProvider;
import dev.wif4j.testkit.AzureManagedIdentityEmulator;
import dev.wif4j.testkit.FakeDetectionContext;
import dev.wif4j.testkit.IdentityProviderContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The {@code azure} provider on an Azure VM (DMI data, IMDS emulator) keeps the provider contract. */
class AzureImdsContractTest extends IdentityProviderContract {

    private static AzureManagedIdentityEmulator azure;

    @BeforeAll
    static void start() {
        azure = AzureManagedIdentityEmulator.start();
    }

    @AfterAll
    static void stop() {
        azure.close();
    }

    @Override
    protected IdentityProvider provider() {
        return new AzureIdentityProvider();
    }

    @Override
    protected FakeDetectionContext availableContext() {
        return FakeDetectionContext.builder()
                .file("/sys/class/dmi/id/sys_vendor", "Microsoft Corporation\n")
                .file("/sys/class/dmi/id/chassis_asset_tag", AzureIdentityProvider.AZURE_CHASSIS_TAG + "\n")
                .env(azure.imdsEnvironment())
                .env("WIF4J_AZURE_RESOURCE", AzureEndToEndTest.RESOURCE)
                .build();
    }
}
