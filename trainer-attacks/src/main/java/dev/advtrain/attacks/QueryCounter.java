package dev.advtrain.attacks;

/**
 * Counts, per example, how often an attack asked the model about it: a forward pass for black-box
 * attacks, a gradient pass (or forward pass) for white-box ones. Reported in {@link AttackResult#queries()}.
 */
public final class QueryCounter {

    private final long[] counts;

    /** A counter for a batch of {@code n} examples. */
    public QueryCounter(long n) {
        this.counts = new long[Math.toIntExact(n)];
    }

    /** One query about every example of the batch. */
    public void countAll() {
        for (int i = 0; i < counts.length; i++) {
            counts[i]++;
        }
    }

    /** One query about each of the given examples (indices into the batch). */
    public void count(int... rows) {
        for (int row : rows) {
            counts[row]++;
        }
    }

    /** One query about each example whose flag is set. */
    public void count(boolean[] rows) {
        for (int i = 0; i < rows.length; i++) {
            if (rows[i]) {
                counts[i]++;
            }
        }
    }

    /** The counts so far, per example (a copy). */
    public long[] perExample() {
        return counts.clone();
    }
}
