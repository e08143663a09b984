package com.example.testsupport.child;

import java.util.TreeMap;

/** The program BuiltProgramTest starts: prints its home and the names of its variables, exits with its argument. */
public final class PrintHome {
    private PrintHome() {
    }

    /**
     * Runs it.
     *
     * @param args the exit status
     */
    public static void main(String[] args) {
        System.out.println("home=" + System.getProperty("user.home"));
        System.out.println("env=" + new TreeMap<>(System.getenv()).keySet());
        System.exit(Integer.parseInt(args[0]));
    }
}
