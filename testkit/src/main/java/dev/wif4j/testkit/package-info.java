/**
 * Test support on loopback only: emulators of the identity sources and of Anthropic's token endpoint,
 * {@link dev.wif4j.testkit.FakeDetectionContext}, and {@link dev.wif4j.testkit.IdentityProviderContract},
 * the test every identity provider passes.
 */
package dev.wif4j.testkit;
