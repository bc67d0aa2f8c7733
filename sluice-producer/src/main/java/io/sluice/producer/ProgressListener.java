package io.sluice.producer;

/** Receives periodic progress snapshots from {@link ReadingProducer#run}, on the thread that called it. */
@FunctionalInterface
public interface ProgressListener {

    /** A listener that ignores progress. */
    ProgressListener NONE = p -> { };

    /**
     * Called every progress interval while the run lasts, and not again after it ends. It should return quickly;
     * an exception thrown here is logged and otherwise ignored.
     *
     * @param progress the snapshot
     */
    void onProgress(ProduceProgress progress);
}
