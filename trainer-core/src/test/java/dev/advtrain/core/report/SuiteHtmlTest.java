package dev.advtrain.core.report;

import static dev.advtrain.core.report.SuiteReportFixture.APGD;
import static dev.advtrain.core.report.SuiteReportFixture.SQUARE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.advtrain.core.eval.suite.SuiteReport;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What the HTML page of an evaluation report says, and that it stands on its own. */
class SuiteHtmlTest {

    private static final Pattern ROW = Pattern.compile("<tr>.*?</tr>", Pattern.DOTALL);
    private static final Pattern DATA_URI = Pattern.compile("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"");

    private final SuiteReport report = SuiteReportFixture.report().build();

    @Test
    void aFailedGateSaysSoAndShowsEachThresholdAgainstItsMinimum() {
        String html = SuiteHtml.render(report, List.of(), ClassNames.NUMBERED);
        assertTrue(html.contains("class=\"gate failed\""));
        assertTrue(html.contains("Gate FAILED"));
        assertFalse(html.contains("PASSED"));
        String threshold = html.substring(html.indexOf(SuiteReportFixture.THRESHOLD) - 40);
        threshold = threshold.substring(0, threshold.indexOf("</li>"));
        assertTrue(threshold.contains("not met"), threshold);
        assertTrue(threshold.contains("0.150 against a minimum of 0.400"), threshold);

        String passed = SuiteHtml.render(SuiteReportFixture.report().gatePassed().build(), List.of(), ClassNames.NUMBERED);
        assertTrue(passed.contains("class=\"gate passed\""));
        assertTrue(passed.contains("Gate PASSED"));
        assertFalse(passed.contains("FAILED"));
    }

    @Test
    void headlineShowsCleanAndWorstCaseAtTheHeadlineEps() {
        String html = SuiteHtml.render(report, List.of(), ClassNames.NUMBERED);
        String headline = html.substring(html.indexOf("<h2>Headline</h2>"), html.indexOf("<h2>Sanity checks</h2>"));
        assertTrue(headline.contains(">95.0%<"), headline);
        assertTrue(headline.contains(">15.0%</div><div class=\"k\">worst-case robust accuracy, linf eps 0.3<"), headline);
        assertFalse(headline.contains("eps 0.1"), "only the headline eps is a headline number");
        assertTrue(headline.contains(">1000<") && headline.contains(">42<") && headline.contains(">250<"), headline);
        assertTrue(headline.contains(">12 min 34 s<"), headline);
    }

    @Test
    void everyAttackIsATableRowWithItsNumbers() {
        String html = SuiteHtml.render(report, List.of(), ClassNames.NUMBERED);
        for (String attack : SuiteReportFixture.ATTACKS) {
            assertEquals(3, rowsContaining(html, "<tr><td>" + attack + "</td><td>linf</td>").size(), attack);
        }
        String apgd = rowsContaining(html, "<tr><td>" + APGD + "</td><td>linf</td><td class=\"num\">0.3</td>").get(0);
        assertTrue(apgd.contains("steps=100, step_size=0.075, restarts=1, seed=1234569"), apgd);
        assertTrue(apgd.contains(">0.200<"), apgd);
        assertTrue(apgd.contains(">750<"), "successes: " + apgd);
        String broken = rowsContaining(html, "<td>headline</td>").get(0);
        assertTrue(broken.contains(APGD + " 750, " + SQUARE + " 22"), "broken by, in suite order: " + broken);
    }

    @Test
    void everySanityCheckIsListedWithItsStatus() {
        String html = SuiteHtml.render(report, List.of(), ClassNames.NUMBERED);
        for (SuiteReport.SanityCheck check : report.sanityChecks()) {
            List<String> rows = rowsContaining(html, "<code>" + check.id() + "</code>");
            assertEquals(1, rows.size(), check.id());
            String status = check.status().name().toLowerCase(Locale.ROOT);
            assertTrue(rows.get(0).contains("class=\"status " + status + "\">" + status + "<"), rows.get(0));
            assertTrue(rows.get(0).contains(SuiteHtml.esc(check.detail())), rows.get(0));
        }
        assertTrue(html.contains("apgd-ce 0.200 &lt; fgsm 0.410"), "details are escaped too");
    }

    @Test
    void theDefenceRowStatesTheDropFromNaiveToAdaptive() {
        String html = SuiteHtml.render(report, List.of(), ClassNames.NUMBERED);
        String row = rowsContaining(html, "bit-depth(3)").get(0);
        assertTrue(row.contains("drop 0.670</span> from naive 0.720 to adaptive 0.050"), row);
        assertTrue(row.contains("0.050 survives (6.9% of the naive robustness)"), row);
        assertTrue(SuiteHtml.survives(0.4, 0.4).contains("no drop"));
    }

    @Test
    void figuresAreEmbeddedAsDataUrisInSectionOrderAndDecodeToTheSameBytes() {
        byte[] curves = SuiteCharts.png(SuiteCharts.curves(report, "linf"));
        byte[] confusion = SuiteCharts.png(SuiteCharts.confusion(report.perClass().get(0), ClassNames.NUMBERED));
        byte[] defences = SuiteCharts.png(SuiteCharts.defences(report.defences()));
        String html = SuiteHtml.render(report, List.of(
                new SuiteHtml.Figure("defences", "Defences <naive & adaptive>", defences),
                new SuiteHtml.Figure("curves", "L-inf", curves),
                new SuiteHtml.Figure("confusion", "Confusion at eps 0.3", confusion)), ClassNames.NUMBERED);

        List<byte[]> embedded = new ArrayList<>();
        Matcher m = DATA_URI.matcher(html);
        while (m.find()) {
            embedded.add(Base64.getDecoder().decode(m.group(1)));
        }
        assertEquals(3, embedded.size());
        assertArrayEquals(curves, embedded.get(0), "curves come first");
        assertArrayEquals(confusion, embedded.get(1));
        assertArrayEquals(defences, embedded.get(2));
        assertTrue(html.contains("<figcaption>Defences &lt;naive &amp; adaptive&gt;</figcaption>"));
        assertThrows(IllegalArgumentException.class, () -> new SuiteHtml.Figure("appendix", "x", curves));
    }

    @Test
    void stringsFromTheReportAreEscaped() {
        String html = SuiteHtml.render(SuiteReportFixture.report().model("<script>alert('x')</script>.zip").build(), List.of(), ClassNames.NUMBERED);
        assertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;.zip"));
        assertFalse(html.contains("<script"), "no markup from the report gets through");
    }

    @Test
    void thePageUsesNoExternalResources() {
        String html = SuiteHtml.render(report, List.of(new SuiteHtml.Figure("curves", "c",
                SuiteCharts.png(SuiteCharts.curves(report, "linf")))), ClassNames.NUMBERED);
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertFalse(html.contains("http://"));
        assertFalse(html.contains("https://"));
        assertFalse(html.contains("<script"));
        assertFalse(html.contains("<link"));
        Matcher sources = Pattern.compile("(?:src|href)=\"([^\"]*)\"").matcher(html);
        int count = 0;
        while (sources.find()) {
            assertTrue(sources.group(1).startsWith("data:image/png;base64,"), sources.group(1));
            count++;
        }
        assertEquals(1, count);
    }

    @Test
    void numbersAreTheSameInEveryLocaleAndNaNIsADash() {
        Locale before = Locale.getDefault();
        String html;
        try {
            Locale.setDefault(Locale.GERMANY);
            html = SuiteHtml.render(SuiteReportFixture.report().robustAccuracy(APGD, 0.2, Double.NaN).build(), List.of(), ClassNames.NUMBERED);
        } finally {
            Locale.setDefault(before);
        }
        assertFalse(html.contains("NaN"));
        assertFalse(html.contains("0,950"));
        String square = rowsContaining(html, "<tr><td>" + SQUARE + "</td><td>linf</td><td class=\"num\">0.1</td>").get(0);
        assertTrue(square.contains("<td class=\"num\">0.950</td>"), square);
        assertTrue(square.contains("<td class=\"num\">0</td><td class=\"num\">0.950</td><td class=\"num\">\u2013</td>"),
                "no success, so no mean perturbation: " + square);
        String apgd = rowsContaining(html, "<tr><td>" + APGD + "</td><td>linf</td><td class=\"num\">0.2</td>").get(0);
        assertTrue(apgd.contains("<td class=\"num\">\u2013</td>"), "robust accuracy not measured: " + apgd);
    }

    private static List<String> rowsContaining(String html, String text) {
        List<String> rows = new ArrayList<>();
        Matcher m = ROW.matcher(html);
        while (m.find()) {
            if (m.group().contains(text)) {
                rows.add(m.group());
            }
        }
        return rows;
    }
}
