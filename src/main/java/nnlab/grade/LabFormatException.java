package nnlab.grade;

/** A lab source the grader refuses: the message names the notebook, the cell and the problem. */
public final class LabFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LabFormatException(String message) {
        super(message);
    }
}
