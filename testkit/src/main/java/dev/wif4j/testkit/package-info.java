/**
 * Test support on loopback only: emulators of the identity sources and of Anthropic's token endpoint,
 * {@link dev.wif4j.testkit.FakeDetectionContext}, and {@link dev.wif4j.testkit.IdentityProviderContract},
 * the test every identity provider passes, and {@link dev.wif4j.testkit.ChildProgram} with
 * {@link dev.wif4j.testkit.RuntimeClassPath}, to start a program in a JVM of its own with what it ships with.
 */
package dev.wif4j.testkit;
