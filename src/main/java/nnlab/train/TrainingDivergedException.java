package nnlab.train;

/** Thrown when the loss becomes NaN or infinite: training cannot recover from that, so it stops with the reason. */
public final class TrainingDivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int iteration;

    /** Training stopped at {@code iteration}, with a message naming the step and learning rate. */
    public TrainingDivergedException(String message, int iteration) {
        super(message);
        this.iteration = iteration;
    }

    /** The step at which the loss or a parameter stopped being finite. */
    public int iteration() {
        return iteration;
    }
}
