package nnlab.data;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Cross-validation folds. {@link #stratified(int[], int)} assigns every sample a test fold exactly as
 * scikit-learn's {@code StratifiedKFold(n_splits=k)} without shuffling (the default of {@code cv=k} for a
 * classifier), so a grid search here and a {@code GridSearchCV} there score the same splits.
 */
public final class Folds {
    private Folds() {
    }

    /**
     * The test fold (0..k-1) of every sample: each fold gets a near-equal share of every class, and within a class
     * the samples keep their order (the first block of a class goes to fold 0, the next to fold 1, ...).
     */
    public static int[] stratified(int[] y, int k) {
        if (k < 2) {
            throw new IllegalArgumentException("cross-validation needs at least 2 folds, got " + k);
        }
        // Encode classes by order of first appearance, as scikit-learn does.
        Map<Integer, Integer> code = new LinkedHashMap<>();
        int[] encoded = new int[y.length];
        for (int i = 0; i < y.length; i++) {
            encoded[i] = code.computeIfAbsent(y[i], c -> code.size());
        }
        int classes = code.size();
        int[] counts = new int[classes];
        for (int c : encoded) {
            counts[c]++;
        }
        if (Arrays.stream(counts).allMatch(c -> c < k)) {
            throw new IllegalArgumentException("cannot make " + k + " stratified folds: no class has " + k
                    + " or more samples (class sizes " + Arrays.toString(counts) + "); use fewer folds");
        }
        // Deal the sorted labels round-robin to the folds: fold f gets allocation[f][c] samples of class c.
        int[] sorted = encoded.clone();
        Arrays.sort(sorted);
        int[][] allocation = new int[k][classes];
        for (int i = 0; i < sorted.length; i++) {
            allocation[i % k][sorted[i]]++;
        }
        int[] testFold = new int[y.length];
        int[] fold = new int[classes];
        int[] usedInFold = new int[classes];
        for (int i = 0; i < y.length; i++) {
            int c = encoded[i];
            while (usedInFold[c] == allocation[fold[c]][c]) {
                fold[c]++;
                usedInFold[c] = 0;
            }
            testFold[i] = fold[c];
            usedInFold[c]++;
        }
        return testFold;
    }

    /** The indices i with {@code testFold[i] == f} (test set) or {@code != f} (training set), in order. */
    public static int[] indices(int[] testFold, int f, boolean test) {
        return java.util.stream.IntStream.range(0, testFold.length)
                .filter(i -> (testFold[i] == f) == test).toArray();
    }
}
