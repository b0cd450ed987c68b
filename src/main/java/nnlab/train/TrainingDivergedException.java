package nnlab.train;

/** Thrown when the loss becomes NaN or infinite: training cannot recover from that, so it stops with the reason. */
public final class TrainingDivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int iteration;

    public TrainingDivergedException(String message, int iteration) {
        super(message);
        this.iteration = iteration;
    }

    public int iteration() {
        return iteration;
    }
}
