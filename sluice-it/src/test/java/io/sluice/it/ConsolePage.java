package io.sluice.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sandbox's web console as Debian's headless Chromium renders it: {@link #load} runs the page's scripts (they
 * fetch the console's state and draw the charts) and returns the DOM, and {@link #screenshot} keeps a picture. The
 * page puts every figure in {@code data-*} attributes, read here with {@link #elements}.
 */
final class ConsolePage {

    static final String CHROMIUM = "/usr/bin/chromium";

    private final String html;

    private ConsolePage(String html) {
        this.html = html;
    }

    /**
     * Loads the page and returns its DOM after its scripts ran (5 s of the page's virtual time).
     *
     * @throws IllegalStateException if Chromium is missing (with how to install it) or fails
     */
    static ConsolePage load(String url, Path profile) throws IOException, InterruptedException {
        return new ConsolePage(run(List.of("--dump-dom", url), profile, true));
    }

    /** Takes a screenshot of the page at 1400x1700 into {@code png}. */
    static void screenshot(String url, Path png, Path profile) throws IOException, InterruptedException {
        Files.createDirectories(png.getParent());
        run(List.of("--hide-scrollbars", "--window-size=1400,1700", "--screenshot=" + png, url), profile, false);
        if (!Files.isRegularFile(png) || Files.size(png) == 0) {
            throw new IllegalStateException("chromium wrote no screenshot to " + png);
        }
    }

    private static String run(List<String> args, Path profile, boolean stdout) throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of(CHROMIUM))) {
            throw new IllegalStateException(CHROMIUM + " is missing: install it with ./sluice setup "
                    + "(or sudo apt-get install -y chromium)");
        }
        List<String> cmd = new ArrayList<>(List.of(CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--user-data-dir=" + profile, "--virtual-time-budget=5000"));
        cmd.addAll(args);
        Path out = Files.createTempFile("chromium", ".out");
        Path err = Files.createTempFile("chromium", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("chromium did not finish within 90 s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("chromium exited with " + p.exitValue() + ": "
                        + Files.readString(err, StandardCharsets.UTF_8));
            }
            return stdout ? Files.readString(out, StandardCharsets.UTF_8) : "";
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Returns the DOM as HTML. */
    String html() {
        return html;
    }

    /**
     * Returns the {@code data-*} attributes of every element that has attribute {@code key}, in document order;
     * attribute names without the {@code data-} prefix.
     */
    List<Map<String, String>> elements(String key) {
        List<Map<String, String>> out = new ArrayList<>();
        Matcher tag = Pattern.compile("<[a-z]+\\b([^>]*\\bdata-" + Pattern.quote(key) + "=\"[^\"]*\"[^>]*)>").matcher(html);
        while (tag.find()) {
            Map<String, String> attrs = new LinkedHashMap<>();
            Matcher a = Pattern.compile("data-([a-z-]+)=\"([^\"]*)\"").matcher(tag.group(1));
            while (a.find()) {
                attrs.put(a.group(1), a.group(2).replace("&amp;", "&").replace("&quot;", "\"")
                        .replace("&lt;", "<").replace("&gt;", ">"));
            }
            out.add(attrs);
        }
        return out;
    }

    /** Returns the {@code data-*} attributes of the element with this id. */
    Map<String, String> byId(String id) {
        Matcher tag = Pattern.compile("<[a-z]+\\b[^>]*\\bid=\"" + Pattern.quote(id) + "\"[^>]*>").matcher(html);
        if (!tag.find()) {
            throw new AssertionError("no element #" + id + " in the console's DOM");
        }
        Map<String, String> attrs = new LinkedHashMap<>();
        Matcher a = Pattern.compile("data-([a-z-]+)=\"([^\"]*)\"").matcher(tag.group());
        while (a.find()) {
            attrs.put(a.group(1), a.group(2));
        }
        return attrs;
    }
}
