package dev.advtrain.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.advtrain.core.eval.suite.SuiteReport;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.HeatMapSeries;

/** Classes shown by name where the model names them, by number otherwise: in tables, charts and CSV fields. */
class ClassNamesTest {

    private static final ClassNames ANIMALS = ClassNames.of(List.of("cat", "dog", "<fox>"), 3);

    private final SuiteReport report = SuiteReportFixture.report().build();

    @Test
    void namesWhenThereIsOneDistinctNamePerClassElseNumbers() {
        assertTrue(ANIMALS.named());
        assertEquals("dog", ANIMALS.name(1));
        assertEquals("7", ANIMALS.name(7), "a label without a name is its number");
        assertEquals("3", ClassNames.NUMBERED.name(3));
        assertSame(ClassNames.NUMBERED, ClassNames.of(List.of(), 3), "no names");
        assertSame(ClassNames.NUMBERED, ClassNames.of(List.of("cat", "dog"), 3), "names for another class count");
        assertSame(ClassNames.NUMBERED, ClassNames.of(List.of("cat", "cat", "dog"), 3), "two classes of one name");
        assertSame(ClassNames.NUMBERED, ClassNames.of(List.of("cat", " ", "dog"), 3), "a blank name");
    }

    @Test
    void theHtmlTablesNameTheClassesEscaped() {
        String named = SuiteHtml.render(report, List.of(), ANIMALS);
        assertTrue(named.contains("<tr><td>cat</td><td class=\"num\">330</td>"), "per-class row by name");
        assertTrue(named.contains("<th>&lt;fox&gt;</th>"), "confusion header by name, escaped");
        assertFalse(named.contains("<fox>"));
        String numbered = SuiteHtml.render(report, List.of(), ClassNames.NUMBERED);
        assertTrue(numbered.contains("<tr><td class=\"num\">0</td><td class=\"num\">330</td>"), numbered);
        assertFalse(numbered.contains("cat"));
    }

    @Test
    void theChartsNameTheClassesOnTheirAxes() {
        SuiteReport.PerClass perClass = report.perClass().get(0);
        assertEquals(List.of("cat", "dog", "<fox>"), List.copyOf(SuiteCharts.perClassChart(perClass, ANIMALS)
                .getSeriesMap().get(SuiteCharts.CLEAN).getXData()));
        HeatMapSeries confusion = SuiteCharts.confusionChart(perClass, ANIMALS).getHeatMapSeries();
        assertEquals(List.of("cat", "dog", "<fox>"), confusion.getXData(), "predicted class along the bottom");
        assertEquals(List.of("<fox>", "dog", "cat"), confusion.getYData(), "the first class at the top");
        assertTrue(SuiteCharts.png(SuiteCharts.confusion(perClass, ANIMALS)).length > 1000);
    }

    @Test
    void csvFieldsAreQuotedOnlyWhenTheyMustBe() {
        assertEquals("cat", AttackOutputs.csvField("cat"));
        assertEquals("\"cats, big\"", AttackOutputs.csvField("cats, big"));
        assertEquals("\"the \"\"fox\"\"\"", AttackOutputs.csvField("the \"fox\""));
        assertEquals("pred dog (0.87)", AttackOutputs.prediction(ANIMALS.name(1), 0.871));
    }
}
