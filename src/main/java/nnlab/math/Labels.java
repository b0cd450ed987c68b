package nnlab.math;

/** Validation of integer class labels, with messages that say what was expected. */
public final class Labels {
    private Labels() {
    }

    /** Throws unless every label lies in [0, numClasses). */
    public static void check(String op, int[] labels, int numClasses) {
        if (numClasses < 1) {
            throw new IllegalArgumentException(op + ": number of classes must be at least 1, got " + numClasses);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException(op + ": label " + labels[i] + " at index " + i
                        + " is outside [0, " + numClasses + "); labels must be class indices 0.." + (numClasses - 1)
                        + (labels[i] == numClasses ? " (labels numbered from 1? subtract 1 first)" : ""));
            }
        }
    }

    /** Throws unless there is exactly one label per row of the scores and each lies in [0, scores.cols()). */
    public static void check(String op, Matrix scores, int[] labels) {
        if (labels.length != scores.rows()) {
            throw new IllegalArgumentException(op + ": " + labels.length + " labels for " + scores.rows()
                    + " rows of scores " + scores.shapeString() + "; expected one label per row");
        }
        check(op, labels, scores.cols());
    }

    /** Fraction of positions where predicted equals actual. */
    public static double accuracy(int[] predicted, int[] actual) {
        if (predicted.length != actual.length) {
            throw new IllegalArgumentException("accuracy: " + predicted.length + " predictions for "
                    + actual.length + " labels");
        }
        if (actual.length == 0) {
            throw new IllegalArgumentException("accuracy: no labels to compare");
        }
        int hits = 0;
        for (int i = 0; i < actual.length; i++) {
            if (predicted[i] == actual[i]) {
                hits++;
            }
        }
        return (double) hits / actual.length;
    }

    /** Number of classes implied by the labels: max + 1. */
    public static int numClasses(int[] labels) {
        int max = -1;
        for (int y : labels) {
            if (y < 0) {
                throw new IllegalArgumentException("numClasses: negative label " + y + "; labels must be 0..K-1");
            }
            max = Math.max(max, y);
        }
        return max + 1;
    }
}
