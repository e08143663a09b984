/**
 * The identity-provider SPI: implement {@link dev.wif4j.spi.IdentityProvider} to bring identity tokens from
 * a source wif4j does not know; wif4j finds it with {@link java.util.ServiceLoader}.
 */
package dev.wif4j.spi;
