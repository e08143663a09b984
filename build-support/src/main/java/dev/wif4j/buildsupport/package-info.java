/**
 * wif4j's own build helpers, for the tests of its modules and never published: {@link
 * dev.wif4j.buildsupport.ChildProgram} starts a program in a JVM of its own (class path or module path, only the
 * environment the test gives), {@link dev.wif4j.buildsupport.StandInCommand} stands in for a CI system's
 * command-line tool. Users' tests have the published testkit; the consumer projects and examples use only that.
 */
package dev.wif4j.buildsupport;
