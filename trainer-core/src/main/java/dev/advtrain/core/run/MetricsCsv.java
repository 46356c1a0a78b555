package dev.advtrain.core.run;

import dev.advtrain.core.train.EpochRecord;
import dev.advtrain.core.train.TrainingListener;
import dev.advtrain.core.train.Trainable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Writes {@code metrics.csv}, one row per epoch, rewritten atomically after each epoch. */
public final class MetricsCsv implements TrainingListener {

    private final RunDirectory run;
    private final List<Map<String, Double>> rows;

    /** Continues after {@code history} (the rows of a resumed run's checkpoint). */
    public MetricsCsv(RunDirectory run, List<Map<String, Double>> history) {
        this.run = run;
        this.rows = new ArrayList<>(history);
        if (!rows.isEmpty()) {
            write();
        }
    }

    @Override
    public void onEpochEnd(Trainable model, EpochRecord record) {
        rows.add(record.toRow());
        write();
    }

    private void write() {
        List<String> columns = new ArrayList<>();
        rows.forEach(r -> r.keySet().stream().filter(k -> !columns.contains(k)).forEach(columns::add));
        StringBuilder csv = new StringBuilder(String.join(",", columns)).append('\n');
        for (Map<String, Double> row : rows) {
            List<String> cells = new ArrayList<>();
            for (String column : columns) {
                Double value = row.get(column);
                cells.add(value == null || value.isNaN() ? "" : format(column, value));
            }
            csv.append(String.join(",", cells)).append('\n');
        }
        RunDirectory.writeString(run.metrics(), csv.toString());
    }

    private static String format(String column, double value) {
        if (column.equals("epoch") || column.equals("iterations")) {
            return Long.toString(Math.round(value));
        }
        return String.format("%.6g", value);
    }
}
