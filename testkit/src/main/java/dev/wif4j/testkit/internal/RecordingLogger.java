package dev.wif4j.testkit.internal;

import java.text.MessageFormat;
import java.util.ResourceBundle;
import java.util.function.Consumer;

/** A {@link System.Logger} that keeps every line, at every level, for assertions. */
public final class RecordingLogger implements System.Logger {

    private final String name;
    private final Consumer<String> sink;

    /**
     * @param name the logger name
     * @param sink where each formatted line goes
     */
    public RecordingLogger(String name, Consumer<String> sink) {
        this.name = name;
        this.sink = sink;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public boolean isLoggable(Level level) {
        return true;
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
        sink.accept(level + " " + name + ": " + msg + (thrown == null ? "" : " | " + describe(thrown)));
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
        String msg = params == null || params.length == 0 ? format : MessageFormat.format(format, params);
        sink.accept(level + " " + name + ": " + msg);
    }

    private static String describe(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            b.append(c).append(c.getCause() == null ? "" : " <- ");
        }
        return b.toString();
    }
}
