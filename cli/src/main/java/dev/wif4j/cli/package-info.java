/**
 * The {@code wif4j} command ({@link dev.wif4j.cli.Main}); run it as {@code java -jar wif4j.jar --help}.
 */
package dev.wif4j.cli;
