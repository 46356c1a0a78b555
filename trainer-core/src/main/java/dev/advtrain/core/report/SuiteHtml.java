package dev.advtrain.core.report;

import static dev.advtrain.core.report.ReportNumbers.accuracy;
import static dev.advtrain.core.report.ReportNumbers.compact;
import static dev.advtrain.core.report.ReportNumbers.fixed;
import static dev.advtrain.core.report.ReportNumbers.percent;

import dev.advtrain.core.eval.suite.SuiteReport;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The evaluation report ({@link SuiteReport}) as one self-contained HTML5 page: inline CSS, charts
 * embedded as base64 PNG data URIs, no scripts and no external resources, so that the file can be
 * mailed or archived on its own. The page shows the gate's verdict with every threshold, the
 * headline numbers, the sanity checks, every attack at every eps, the worst case, per-class numbers,
 * the defences (naive against adaptive) and then the figures, grouped by section. Every string from
 * the report is HTML-escaped; numbers are written the same in every locale, NaN as an en dash.
 *
 * <pre>{@code
 * String html = SuiteHtml.render(report, List.of(
 *         new SuiteHtml.Figure("curves", "L-inf", SuiteCharts.png(SuiteCharts.curves(report, "linf")))));
 * Files.writeString(dir.resolve("report.html"), html);
 * }</pre>
 */
public final class SuiteHtml {

    /** The sections a figure may belong to, in the order the page shows them. */
    public static final List<String> SECTIONS = List.of("curves", "per-class", "confusion", "defences", "examples");

    private static final Map<String, String> SECTION_TITLES = Map.of(
            "curves", "Robust accuracy against eps",
            "per-class", "Per-class accuracy",
            "confusion", "Predictions under the worst-case attack",
            "defences", "Defences",
            "examples", "Adversarial examples");

    private static final String CSS = """
            body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;\
            margin:2rem auto;max-width:1100px;padding:0 1rem;color:#1d1d1f;line-height:1.4}
            h1{margin-bottom:.2rem}h2{margin-top:2.2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}
            .sub{color:#555;margin-top:0}
            .gate{border-radius:6px;padding:.8rem 1.2rem;color:#fff;margin:1.2rem 0}
            .gate.passed{background:#1e7d32}.gate.failed{background:#b3261e}
            .gate .verdict{font-size:1.5rem;font-weight:700}.gate ul{margin:.4rem 0 0;padding-left:1.2rem}
            .cards{display:flex;flex-wrap:wrap;gap:.8rem}
            .card{border:1px solid #ddd;border-radius:6px;padding:.6rem 1rem;min-width:9rem}
            .card .v{font-size:1.4rem;font-weight:700}.card .k{color:#555;font-size:.85rem}
            table{border-collapse:collapse;margin:.6rem 0;font-size:.9rem}
            th,td{border:1px solid #ddd;padding:.3rem .55rem;text-align:left;vertical-align:top}
            th{background:#f4f4f6}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
            code{font-size:.85rem}
            .status{font-weight:700;text-transform:uppercase;font-size:.8rem;white-space:nowrap}
            .pass{background:#dcf1df;color:#14602a}.warn{background:#ffefc2;color:#7a4f00}\
            .skipped{background:#ececec;color:#666}
            .ok{color:#14602a;font-weight:700}.bad{color:#b3261e;font-weight:700}
            figure{margin:1rem 0}figure img{max-width:100%;border:1px solid #eee}
            figcaption{color:#444;font-size:.9rem}
            """;

    /**
     * A PNG figure for the page.
     *
     * @param section one of {@link #SECTIONS}
     * @param caption shown under the figure (and as its alternative text)
     * @param png the PNG file's bytes, e.g. from {@link SuiteCharts#png}
     */
    public record Figure(String section, String caption, byte[] png) {

        /** Checks that the section is known and nothing is missing. */
        public Figure {
            Objects.requireNonNull(section, "section");
            Objects.requireNonNull(caption, "caption");
            Objects.requireNonNull(png, "png");
            if (!SECTIONS.contains(section)) {
                throw new IllegalArgumentException("unknown figure section '" + section + "', expected one of " + SECTIONS);
            }
        }
    }

    private SuiteHtml() {
    }

    /**
     * The page for the report with the figures, grouped by section in the order of {@link #SECTIONS};
     * the per-class tables and confusion matrices show classes as {@code names} says.
     */
    public static String render(SuiteReport report, List<Figure> figures, ClassNames names) {
        StringBuilder html = new StringBuilder(16_384);
        String title = "Robustness evaluation of " + report.model() + " (" + report.suite() + ")";
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(esc(title)).append("</title>\n")
                .append("<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        html.append("<h1>Robustness evaluation of <code>").append(esc(report.model())).append("</code></h1>\n");
        html.append("<p class=\"sub\">suite <b>").append(esc(report.suite())).append("</b> &middot; dataset <b>")
                .append(esc(report.dataset())).append("</b> &middot; ").append(esc(report.schema())).append("</p>\n");
        gate(html, report.gate());
        headline(html, report);
        sanityChecks(html, list(report.sanityChecks()));
        results(html, list(report.results()));
        worstCase(html, list(report.worstCase()));
        perClass(html, list(report.perClass()), names);
        defences(html, list(report.defences()));
        figures(html, figures);
        html.append("</body>\n</html>\n");
        return html.toString();
    }

    private static void gate(StringBuilder html, SuiteReport.Gate gate) {
        if (gate == null) {
            html.append("<div class=\"gate\" style=\"background:#666\"><div class=\"verdict\">No gate</div></div>\n");
            return;
        }
        html.append("<div class=\"gate ").append(gate.passed() ? "passed" : "failed").append("\">\n")
                .append("<div class=\"verdict\">Gate ").append(gate.passed() ? "PASSED" : "FAILED").append("</div>\n<ul>\n");
        for (SuiteReport.Threshold t : list(gate.thresholds())) {
            html.append("<li>").append(t.passed() ? "met" : "<b>not met</b>").append(": ").append(esc(t.what()))
                    .append(" robust accuracy ").append(accuracy(t.value())).append(" against a minimum of ")
                    .append(accuracy(t.minimum())).append("</li>\n");
        }
        html.append("<li>").append(gate.sanityWarnings()).append(gate.sanityWarnings() == 1 ? " sanity check" : " sanity checks")
                .append(" warned; ").append(gate.failOnWarning() ? "a warning fails the gate" : "warnings do not fail the gate")
                .append("</li>\n</ul>\n</div>\n");
    }

    private static void headline(StringBuilder html, SuiteReport report) {
        html.append("<h2>Headline</h2>\n<div class=\"cards\">\n");
        card(html, percent(report.cleanAccuracy()), "clean accuracy");
        for (SuiteReport.WorstCase w : list(report.worstCase())) {
            if (w.headline()) {
                card(html, percent(w.robustAccuracy()),
                        "worst-case robust accuracy, " + esc(w.norm()) + " eps " + compact(w.eps()));
            }
        }
        card(html, Integer.toString(report.n()), "test images (n)");
        card(html, Long.toString(report.seed()), "seed");
        card(html, Integer.toString(report.batchSize()), "batch size");
        card(html, duration(report.seconds()), "wall time");
        html.append("</div>\n");
    }

    private static void card(StringBuilder html, String value, String escapedLabel) {
        html.append("<div class=\"card\"><div class=\"v\">").append(value).append("</div><div class=\"k\">")
                .append(escapedLabel).append("</div></div>\n");
    }

    private static void sanityChecks(StringBuilder html, List<SuiteReport.SanityCheck> checks) {
        html.append("<h2>Sanity checks</h2>\n");
        if (checks.isEmpty()) {
            html.append("<p>No sanity check ran.</p>\n");
            return;
        }
        html.append("<table>\n<tr><th>status</th><th>check</th><th>what is checked</th><th>detail</th></tr>\n");
        for (SuiteReport.SanityCheck check : checks) {
            String status = check.status() == null ? "unknown" : check.status().name().toLowerCase(Locale.ROOT);
            html.append("<tr><td class=\"status ").append(status).append("\">").append(status).append("</td><td><code>")
                    .append(esc(check.id())).append("</code></td><td>").append(esc(check.title())).append("</td><td>")
                    .append(esc(check.detail())).append("</td></tr>\n");
        }
        html.append("</table>\n");
    }

    private static void results(StringBuilder html, List<SuiteReport.AttackOutcome> results) {
        html.append("<h2>Attacks</h2>\n");
        if (results.isEmpty()) {
            html.append("<p>No attack ran.</p>\n");
            return;
        }
        html.append("<table>\n<tr><th>attack</th><th>norm</th><th>eps</th><th>parameters</th><th>attacked</th>")
                .append("<th>successes</th><th>robust accuracy</th><th>mean perturbation</th><th>mean queries</th>")
                .append("<th>seconds</th></tr>\n");
        for (SuiteReport.AttackOutcome r : results) {
            html.append("<tr><td>").append(esc(r.attack())).append("</td><td>").append(esc(r.norm())).append("</td>");
            num(html, compact(r.eps()));
            html.append("<td><code>").append(esc(parameters(r.parameters()))).append("</code></td>");
            num(html, Integer.toString(r.attacked()));
            num(html, Integer.toString(r.successes()));
            num(html, accuracy(r.robustAccuracy()));
            num(html, compact(r.meanPerturbation()));
            num(html, fixed(r.meanQueries(), 1));
            num(html, fixed(r.seconds(), 1));
            html.append("</tr>\n");
        }
        html.append("</table>\n");
    }

    private static void worstCase(StringBuilder html, List<SuiteReport.WorstCase> worst) {
        html.append("<h2>Worst case over the attacks</h2>\n");
        if (worst.isEmpty()) {
            html.append("<p>No worst case was computed.</p>\n");
            return;
        }
        html.append("<p>An image counts as robust only if every attack of the suite failed on it; ")
                .append("<i>broken by</i> counts, per attack, the images it was the first (in suite order) to break.</p>\n")
                .append("<table>\n<tr><th>norm</th><th>eps</th><th>headline</th><th>robust accuracy</th>")
                .append("<th>broken by</th></tr>\n");
        for (SuiteReport.WorstCase w : worst) {
            html.append("<tr><td>").append(esc(w.norm())).append("</td>");
            num(html, compact(w.eps()));
            html.append("<td>").append(w.headline() ? "headline" : "").append("</td>");
            num(html, accuracy(w.robustAccuracy()));
            html.append("<td>").append(esc(brokenBy(w.brokenBy()))).append("</td></tr>\n");
        }
        html.append("</table>\n");
    }

    private static void perClass(StringBuilder html, List<SuiteReport.PerClass> perClass, ClassNames names) {
        html.append("<h2>Per class</h2>\n");
        if (perClass.isEmpty()) {
            html.append("<p>No per-class numbers were computed.</p>\n");
            return;
        }
        for (SuiteReport.PerClass p : perClass) {
            html.append("<h3>").append(esc(p.norm())).append(", eps ").append(compact(p.eps())).append("</h3>\n")
                    .append("<table>\n<tr><th>class</th><th>n</th><th>clean accuracy</th>")
                    .append("<th>worst-case robust accuracy</th></tr>\n");
            for (SuiteReport.ClassOutcome c : list(p.classes())) {
                html.append("<tr>");
                if (names.named()) {
                    html.append("<td>").append(esc(names.name(c.label()))).append("</td>");
                } else {
                    num(html, Integer.toString(c.label()));
                }
                num(html, Integer.toString(c.n()));
                num(html, accuracy(c.cleanAccuracy()));
                num(html, accuracy(c.robustAccuracy()));
                html.append("</tr>\n");
            }
            html.append("</table>\n");
            confusion(html, p.confusion(), names);
        }
    }

    private static void confusion(StringBuilder html, int[][] confusion, ClassNames names) {
        if (confusion == null || confusion.length == 0) {
            return;
        }
        html.append("<details><summary>Confusion matrix (rows: true class, columns: class predicted on the ")
                .append("worst-case adversarial example)</summary>\n<table>\n<tr><th></th>");
        for (int p = 0; p < confusion[0].length; p++) {
            html.append("<th>").append(esc(names.name(p))).append("</th>");
        }
        html.append("</tr>\n");
        for (int t = 0; t < confusion.length; t++) {
            html.append("<tr><th>").append(esc(names.name(t))).append("</th>");
            for (int count : confusion[t]) {
                num(html, Integer.toString(count));
            }
            html.append("</tr>\n");
        }
        html.append("</table>\n</details>\n");
    }

    private static void defences(StringBuilder html, List<SuiteReport.DefenceOutcome> defences) {
        html.append("<h2>Defences</h2>\n");
        if (defences.isEmpty()) {
            html.append("<p>No defence was evaluated.</p>\n");
            return;
        }
        html.append("<p>Each defence is attacked twice: naively, differentiating the defended pipeline as it is, ")
                .append("and adaptively (BPDA or EOT). Adaptive robust counts an image only if both attacks failed on it ")
                .append("(an adaptive attacker keeps whichever works); only that number is robustness that survives.</p>\n")
                .append("<table>\n<tr><th>defence</th><th>adaptive attack</th><th>attack</th><th>norm</th><th>eps</th>")
                .append("<th>n</th><th>clean</th><th>naive robust</th><th>BPDA/EOT alone</th><th>adaptive robust</th>")
                .append("<th>robustness that survives</th><th>seconds</th></tr>\n");
        for (SuiteReport.DefenceOutcome d : defences) {
            html.append("<tr><td><code>").append(esc(d.defence())).append("</code></td><td>").append(esc(d.adaptive()))
                    .append("</td><td>").append(esc(d.attack())).append("</td><td>").append(esc(d.norm())).append("</td>");
            num(html, compact(d.eps()));
            num(html, Integer.toString(d.n()));
            num(html, accuracy(d.cleanAccuracy()));
            num(html, accuracy(d.naiveRobustAccuracy()));
            num(html, accuracy(d.adaptiveAloneRobustAccuracy()));
            num(html, accuracy(d.adaptiveRobustAccuracy()));
            html.append("<td>").append(survives(d.naiveRobustAccuracy(), d.adaptiveRobustAccuracy())).append("</td>");
            num(html, fixed(d.seconds(), 1));
            html.append("</tr>\n");
        }
        html.append("</table>\n");
    }

    /** The drop from the naive to the adaptive robust accuracy, in words. */
    static String survives(double naive, double adaptive) {
        if (!Double.isFinite(naive) || !Double.isFinite(adaptive)) {
            return ReportNumbers.MISSING;
        }
        double drop = naive - adaptive;
        if (drop <= 0) {
            return "<span class=\"ok\">all of it</span>: no drop from naive " + accuracy(naive) + " to adaptive "
                    + accuracy(adaptive);
        }
        String share = naive > 0 ? " (" + percent(adaptive / naive) + " of the naive robustness)" : "";
        return "<span class=\"bad\">drop " + accuracy(drop) + "</span> from naive " + accuracy(naive)
                + " to adaptive " + accuracy(adaptive) + "; " + accuracy(adaptive) + " survives" + share;
    }

    private static void figures(StringBuilder html, List<Figure> figures) {
        if (figures.isEmpty()) {
            return;
        }
        html.append("<h2>Figures</h2>\n");
        Base64.Encoder base64 = Base64.getEncoder();
        for (String section : SECTIONS) {
            List<Figure> inSection = figures.stream().filter(f -> f.section().equals(section)).toList();
            if (inSection.isEmpty()) {
                continue;
            }
            html.append("<h3 id=\"figures-").append(section).append("\">").append(SECTION_TITLES.get(section)).append("</h3>\n");
            for (Figure figure : inSection) {
                html.append("<figure><img alt=\"").append(esc(figure.caption())).append("\" src=\"data:image/png;base64,")
                        .append(base64.encodeToString(figure.png())).append("\">\n<figcaption>")
                        .append(esc(figure.caption())).append("</figcaption></figure>\n");
            }
        }
    }

    private static void num(StringBuilder html, String value) {
        html.append("<td class=\"num\">").append(value).append("</td>");
    }

    /** Parameters as {@code key=value, key=value}, numbers compact, in the map's order. */
    static String parameters(Map<String, Object> parameters) {
        if (parameters == null) {
            return "";
        }
        return parameters.entrySet().stream().map(e -> e.getKey() + "=" + value(e.getValue()))
                .collect(Collectors.joining(", "));
    }

    private static String value(Object value) {
        if (value instanceof Double || value instanceof Float) {
            return compact(((Number) value).doubleValue());
        }
        if (value instanceof Collection<?> values) {
            return values.stream().map(SuiteHtml::value).collect(Collectors.joining(", ", "[", "]"));
        }
        if (value instanceof Map<?, ?> map) {
            return map.entrySet().stream().map(e -> e.getKey() + "=" + value(e.getValue()))
                    .collect(Collectors.joining(", ", "{", "}"));
        }
        return String.valueOf(value);
    }

    private static String brokenBy(Map<String, Integer> brokenBy) {
        if (brokenBy == null || brokenBy.isEmpty()) {
            return "";
        }
        return brokenBy.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    }

    /** Wall time: seconds below two minutes, else minutes and seconds. */
    static String duration(double seconds) {
        if (!Double.isFinite(seconds) || seconds < 120) {
            return fixed(seconds, 1) + (Double.isFinite(seconds) ? " s" : "");
        }
        long whole = Math.round(seconds);
        return String.format(Locale.ROOT, "%d min %02d s", whole / 60, whole % 60);
    }

    /** Text made safe for HTML element content and attribute values; null becomes empty. */
    static String esc(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static <T> List<T> list(List<T> list) {
        return list == null ? List.of() : list;
    }
}
