package dev.maas.runtime.batching;

/**
 * What a forward pass costs on this machine: a fixed part paid once per pass and a part per row,
 * from the fastest of several warm-up passes of one row and of the largest batch. The fastest, as
 * the model's own cost: under load passes also wait for cores, which would make every model look
 * row-bound. It tells {@link BatchTiming} whether a fuller batch would be cheaper per row at all:
 * for the digits CNN on CPU a pass is almost all per-row work, for the MLP almost all fixed.
 */
final class PassCosts {
  private long oneRowNanos = Long.MAX_VALUE;
  private long manyRowsNanos = Long.MAX_VALUE;
  private long manyRows;

  /** Recomputed on each record, so the batcher reads it per decision without a lock or garbage. */
  private volatile PassCost estimate = PassCost.UNKNOWN;

  /** Records a pass of {@code rows} rows that took {@code nanos}; the fastest per size counts. */
  synchronized void passRan(long rows, long nanos) {
    if (rows <= 0 || nanos <= 0) {
      return;
    }
    if (rows == 1) {
      oneRowNanos = Math.min(oneRowNanos, nanos);
    } else if (rows > manyRows) {
      manyRows = rows;
      manyRowsNanos = nanos;
    } else if (rows == manyRows) {
      manyRowsNanos = Math.min(manyRowsNanos, nanos);
    }
    if (oneRowNanos != Long.MAX_VALUE && manyRows >= 2) {
      double perRow = Math.max(0, (double) (manyRowsNanos - oneRowNanos) / (manyRows - 1));
      estimate = new PassCost(Math.max(0, oneRowNanos - perRow), perRow);
    }
  }

  /** The estimate now; unknown until a one-row pass and a larger one have run. */
  PassCost estimate() {
    return estimate;
  }

  /**
   * A pass's cost: {@code fixedNanos + rows * perRowNanos}; both NaN when unknown.
   *
   * @param fixedNanos paid once per pass, whatever its rows
   * @param perRowNanos paid for each row
   */
  record PassCost(double fixedNanos, double perRowNanos) {
    static final PassCost UNKNOWN = new PassCost(Double.NaN, Double.NaN);

    /**
     * Whether a pass of {@code rows} rows is mostly its rows' own work: then waiting for more rows
     * could at best halve what each row costs, and an idle lane is worth more than that.
     */
    boolean rowBound(long rows) {
      return !Double.isNaN(fixedNanos) && fixedNanos <= perRowNanos * rows;
    }
  }
}
