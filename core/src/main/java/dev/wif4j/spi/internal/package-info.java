/**
 * The bottom of core: small utilities (JSON, JWT decoding, bounded waits and bodies, redaction and escaping) that
 * the SPI, its support kit and core's implementation share. Depends on the JDK and jackson-core only, never on
 * {@code dev.wif4j}, the SPI or core's other internals, so that the SPI stands alone. Not exported.
 */
package dev.wif4j.spi.internal;
