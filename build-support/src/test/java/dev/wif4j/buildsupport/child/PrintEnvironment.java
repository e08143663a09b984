package dev.wif4j.buildsupport.child;

import java.nio.file.Path;
import java.util.TreeMap;

/**
 * The program ChildProgramTest starts in a JVM of its own: it prints its home, its working directory and the names
 * of the variables it was given (all of them set by the test) and the named modules it was started with beside the
 * JDK's, writes a line to stderr, and exits with the status its argument names; {@code sleep} makes it outlive any
 * test's timeout.
 */
public final class PrintEnvironment {
    private PrintEnvironment() {
    }

    /**
     * Runs it.
     *
     * @param args the exit status, or {@code sleep}
     * @throws InterruptedException never, in practice
     */
    public static void main(String[] args) throws InterruptedException {
        if (args[0].equals("sleep")) {
            Thread.sleep(60_000);
        }
        System.out.println("home=" + System.getProperty("user.home"));
        System.out.println("cwd=" + Path.of("").toAbsolutePath());
        System.out.println("env=" + new TreeMap<>(System.getenv()).keySet());
        System.out.println("modules=" + ModuleLayer.boot().modules().stream().map(Module::getName)
                .filter(name -> !name.startsWith("java.") && !name.startsWith("jdk.")).sorted().toList());
        System.err.println("to stderr");
        System.exit(Integer.parseInt(args[0]));
    }
}
