package dev.wif4j.internal.discovery;

import dev.wif4j.ConfigurationException;
import dev.wif4j.DetectionReport;
import dev.wif4j.DetectionReport.Entry;
import dev.wif4j.DetectionReport.Status;
import dev.wif4j.IdentityProviderNotFoundException;
import dev.wif4j.internal.env.OverlayContext;
import dev.wif4j.spi.Detection;
import dev.wif4j.spi.DetectionContext;
import dev.wif4j.spi.internal.Names;
import dev.wif4j.spi.internal.Redaction;
import dev.wif4j.spi.support.SettingException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Chooses the provider, in the documented order: an explicit choice alone; then the documented
 * Anthropic variables (the {@code file} and {@code literal} providers); then every other
 * provider's {@code detect}, in parallel under one deadline, the highest priority winning.
 */
public final class Detector {
    /** Looked up when something is logged: the logging back end costs a cold JVM tens of milliseconds. */
    private static System.Logger log() {
        return System.getLogger(Detector.class.getName());
    }
    /**
     * The user's explicit choice of provider.
     *
     * @param id the id chosen
     * @param origin where the choice was made, for messages, e.g. {@code WIF4J_PROVIDER}
     */
    public record Choice(String id, String origin) {}

    /**
     * What detection decided.
     *
     * @param chosen the provider to open
     * @param report the full report
     * @param context the context to open it with: the one it was detected with
     */
    public record Outcome(LoadedProvider chosen, DetectionReport report, DetectionContext context) {}

    private Detector() {}

    /**
     * Runs detection.
     *
     * @param installed the installed providers
     * @param context the environment
     * @param choice the explicit choice, or {@code null}
     * @param disabled ids switched off
     * @param deadline how long the parallel detection may take in all
     * @return the chosen provider and the report
     * @throws IdentityProviderNotFoundException if no provider can be used
     * @throws ConfigurationException if the choice is malformed or contradicts the disabled list
     */
    public static Outcome detect(List<LoadedProvider> installed, DetectionContext context, Choice choice,
            Set<String> disabled, Duration deadline) {
        List<LoadedProvider> ranked = new ArrayList<>(installed);
        ranked.sort(null); // LoadedProvider's own order: highest priority first, then id
        if (choice != null) {
            return detectChosen(ranked, context, choice, disabled);
        }
        List<Entry> entries = new ArrayList<>();
        List<LoadedProvider> enabled = new ArrayList<>();
        for (LoadedProvider p : ranked) {
            if (disabled.contains(p.id())) {
                entries.add(entry(p, Status.DISABLED, "listed in WIF4J_DISABLED_PROVIDERS"));
            } else {
                enabled.add(p);
            }
        }
        // The documented variables first: ANTHROPIC_IDENTITY_TOKEN_FILE, then ANTHROPIC_IDENTITY_TOKEN.
        List<LoadedProvider> remaining = new ArrayList<>(enabled);
        List<Entry> asked = new ArrayList<>();
        for (String id : List.of("file", "literal")) {
            LoadedProvider p = remove(remaining, id);
            if (p == null) {
                continue;
            }
            Detection d = safeDetect(p, context);
            if (d.isAvailable()) {
                List<Entry> all = new ArrayList<>();
                all.add(entry(p, Status.CHOSEN, d.message()));
                all.addAll(asked);
                String why = "the " + id + " provider (" + (id.equals("file") ? "ANTHROPIC_IDENTITY_TOKEN_FILE"
                        : "ANTHROPIC_IDENTITY_TOKEN") + ")";
                for (LoadedProvider r : remaining) {
                    all.add(entry(r, Status.SKIPPED, Messages.skippedFor(why)));
                }
                all.addAll(entries);
                return new Outcome(p, new DetectionReport(all, p.id()), context);
            }
            asked.add(Entry.of(p.id(), p.priority(), p.implementation(), p.location(), d));
        }
        List<Detection> verdicts = DetectThread.detectAll(remaining, context, deadline);
        List<LoadedProvider> available = new ArrayList<>();
        List<Detection> availableVerdicts = new ArrayList<>();
        List<Entry> unavailable = new ArrayList<>(asked);
        for (int i = 0; i < remaining.size(); i++) {
            LoadedProvider p = remaining.get(i);
            Detection d = verdicts.get(i);
            if (d.isAvailable()) {
                available.add(p);
                availableVerdicts.add(d);
            } else {
                unavailable.add(Entry.of(p.id(), p.priority(), p.implementation(), p.location(), d));
            }
        }
        List<Entry> all = new ArrayList<>();
        for (int i = 0; i < available.size(); i++) {
            LoadedProvider p = available.get(i);
            all.add(entry(p, i == 0 ? Status.CHOSEN : Status.AVAILABLE, availableVerdicts.get(i).message()));
        }
        all.addAll(unavailable);
        all.addAll(entries);
        if (available.isEmpty()) {
            DetectionReport report = new DetectionReport(all, null);
            boolean onlyBuiltIns = true;
            for (LoadedProvider p : installed) {
                onlyBuiltIns &= BuiltIns.CORE_IDS.contains(p.id());
            }
            if (onlyBuiltIns && !installed.isEmpty()) {
                throw new IdentityProviderNotFoundException(Messages.noProviderJar(), report);
            }
            List<LoadedProvider> tried = new ArrayList<>();
            List<String> reasons = new ArrayList<>();
            for (Entry e : unavailable) {
                tried.add(find(installed, e.id()));
                reasons.add(e.message());
            }
            for (Entry e : entries) {
                tried.add(find(installed, e.id()));
                reasons.add(e.message());
            }
            throw new IdentityProviderNotFoundException(Messages.noneAvailable(tried, reasons), report);
        }
        LoadedProvider chosen = available.get(0);
        if (available.size() > 1) {
            log().log(Level.INFO, Messages.severalAvailable(chosen, available.subList(1, available.size())));
        }
        return new Outcome(chosen, new DetectionReport(all, chosen.id()), context);
    }

    private static Outcome detectChosen(List<LoadedProvider> ranked, DetectionContext context, Choice choice,
            Set<String> disabled) {
        if (!Names.isProviderId(choice.id())) {
            throw new ConfigurationException(Messages.malformedChoice(choice.id(), choice.origin()));
        }
        if (disabled.contains(choice.id())) {
            throw new ConfigurationException(Messages.chosenAndDisabled(choice.id(), choice.origin()));
        }
        LoadedProvider chosen = find(ranked, choice.id());
        List<Entry> all = new ArrayList<>();
        if (chosen == null) {
            List<String> ids = new ArrayList<>();
            for (LoadedProvider p : ranked) {
                all.add(entry(p, Status.SKIPPED, Messages.skippedFor(choice.origin())));
                ids.add(p.id());
            }
            Collections.sort(ids);
            throw new IdentityProviderNotFoundException(Messages.explicitNotInstalled(choice.id(), choice.origin(),
                    List.copyOf(ids)), new DetectionReport(all, null));
        }
        // A pinned provider is trusted, however it was pinned: it knows it from its context, and
        // gets no network probe (a slow metadata server is left to its fetch).
        DetectionContext pinned = OverlayContext.pinned(context);
        Detection d = safeDetect(chosen, pinned);
        all.add(entry(chosen, d.isAvailable() ? Status.CHOSEN : Status.UNAVAILABLE, d.message()));
        for (LoadedProvider p : ranked) {
            if (p != chosen) {
                all.add(entry(p, Status.SKIPPED, Messages.skippedFor(choice.origin())));
            }
        }
        DetectionReport report = new DetectionReport(all, d.isAvailable() ? chosen.id() : null);
        if (!d.isAvailable()) {
            throw new IdentityProviderNotFoundException(
                    Messages.explicitUnavailable(choice.id(), choice.origin(), d.message()), report);
        }
        return new Outcome(chosen, report, pinned);
    }

    /**
     * {@code detect} must not throw; if an in-house one does, it is reported, not fatal. A bad setting
     * ({@link SettingException}) is the documented way to say "unavailable, because of this setting".
     */
    private static Detection safeDetect(LoadedProvider p, DetectionContext context) {
        try {
            Detection d = p.provider().detect(context);
            return d != null ? d : Detection.unavailable("its detect() returned null (a bug in " + p.implementation() + ")");
        } catch (SettingException e) {
            return Detection.unavailable(Redaction.scrub(e.getMessage()));
        } catch (RuntimeException | LinkageError e) {
            return Detection.unavailable("its detect() threw " + describe(e) + " (a bug in " + p.implementation() + ")");
        }
    }

    /**
     * One provider's detection on a daemon thread of its own, and the run of them all; a named class, not a lambda:
     * each lambda costs a cold JVM a generated class, and detection runs once, at start-up.
     */
    private static final class DetectThread extends Thread {
        private final LoadedProvider provider;
        private final DetectionContext context;
        /** Written before the thread ends, read after join: join orders them. */
        private Detection verdict;
        private Throwable failure;

        DetectThread(LoadedProvider provider, DetectionContext context) {
            super("wif4j-detect");
            setDaemon(true);
            this.provider = provider;
            this.context = context;
        }

        /**
         * Every provider's detection at once, under one deadline. Here rather than in {@link Detector}, so that
         * linking {@code Detector} does not load this class when the documented variables decide.
         */
        static List<Detection> detectAll(List<LoadedProvider> providers, DetectionContext context,
                Duration deadline) {
            List<Detection> verdicts = new ArrayList<>();
            if (providers.isEmpty()) {
                return verdicts;
            }
            if (providers.size() == 1) {
                verdicts.add(safeDetect(providers.get(0), context));
                return verdicts;
            }
            // A daemon thread each, joined under one deadline: no executor, future or queue to load in the cold JVM
            // detection runs in (a pool's classes, and the fork-join pool its waiting workers set up, cost more than
            // the few threads).
            List<DetectThread> threads = new ArrayList<>();
            for (LoadedProvider p : providers) {
                DetectThread t = new DetectThread(p, context);
                threads.add(t);
                t.start();
            }
            long end = System.nanoTime() + deadline.toNanos();
            try {
                for (DetectThread t : threads) {
                    long left = end - System.nanoTime();
                    if (left > 0) {
                        TimeUnit.NANOSECONDS.timedJoin(t, left);
                    }
                    if (t.isAlive()) {
                        t.interrupt();
                        verdicts.add(Detection.unavailable("detection did not finish within " + deadline.toMillis()
                                + " ms (a network probe that timed out?)"));
                    } else if (t.failure != null) {
                        verdicts.add(Detection.unavailable("detection failed: " + describe(t.failure)));
                    } else {
                        verdicts.add(t.verdict);
                    }
                }
            } catch (InterruptedException e) {
                for (DetectThread t : threads) {
                    t.interrupt();
                }
                Thread.currentThread().interrupt();
                throw new ConfigurationException("Interrupted while detecting the identity provider.", e);
            }
            return verdicts;
        }

        @Override
        public void run() {
            try {
                verdict = safeDetect(provider, context);
            } catch (Throwable t) { // an Error that safeDetect lets through: reported as a failed detection
                failure = t;
            }
        }
    }

    private static String describe(Throwable t) {
        return t.getClass().getName() + (t.getMessage() == null ? "" : ": " + Redaction.scrub(t.getMessage()));
    }

    private static Entry entry(LoadedProvider p, Status status, String message) {
        return new Entry(p.id(), p.priority(), p.implementation(), p.location(), status, message);
    }

    /** By index: a record's equals() would bootstrap ObjectMethods, costly in the cold JVM detection runs in. */
    private static LoadedProvider remove(List<LoadedProvider> list, String id) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).id().equals(id)) {
                return list.remove(i);
            }
        }
        return null;
    }

    private static LoadedProvider find(List<LoadedProvider> list, String id) {
        for (LoadedProvider p : list) {
            if (p.id().equals(id)) {
                return p;
            }
        }
        return null;
    }
}
