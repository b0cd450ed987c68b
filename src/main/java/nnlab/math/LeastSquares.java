package nnlab.math;

/**
 * Linear least squares: the x minimizing ‖A·x - b‖², solved by a Householder QR factorization of A (numerically
 * safer than the normal equations AᵀA·x = Aᵀb, which square A's condition number).
 */
public final class LeastSquares {
    private LeastSquares() {
    }

    /**
     * Solves min ‖A·x - b‖² for A (m x n, m ≥ n, full column rank) and b (m x k); returns x (n x k), one solution per
     * column of b.
     */
    public static Matrix solve(Matrix A, Matrix b) {
        int m = A.rows();
        int n = A.cols();
        if (b.rows() != m) {
            throw new IllegalArgumentException("least squares: A is " + A.shapeString() + " but b is " + b.shapeString()
                    + "; b needs one row per row of A");
        }
        if (m < n) {
            throw new IllegalArgumentException("least squares: A is " + A.shapeString() + ", fewer equations than "
                    + "unknowns; the solution is not unique");
        }
        if (A.hasNonFinite() || b.hasNonFinite()) {
            throw new IllegalArgumentException("least squares: A or b contains NaN or infinite values");
        }
        double[][] r = A.toArray();
        double[][] q = b.toArray(); // becomes Qᵀb
        int k = b.cols();
        double scale = Math.max(A.maxAbs(), Double.MIN_NORMAL);
        for (int j = 0; j < n; j++) {
            // Householder reflection that zeroes column j below the diagonal.
            double norm = 0;
            for (int i = j; i < m; i++) {
                norm = Math.hypot(norm, r[i][j]);
            }
            if (norm <= 1e-12 * scale * Math.sqrt(m)) {
                throw new IllegalArgumentException("least squares: the columns of A are linearly dependent (column "
                        + j + " is a combination of the ones before it); remove it or add regularization");
            }
            double alpha = r[j][j] > 0 ? -norm : norm;
            double[] v = new double[m];
            v[j] = r[j][j] - alpha;
            for (int i = j + 1; i < m; i++) {
                v[i] = r[i][j];
            }
            double vv = 0;
            for (int i = j; i < m; i++) {
                vv += v[i] * v[i];
            }
            for (int c = j; c < n; c++) {
                reflect(r, c, v, vv, j, m);
            }
            for (int c = 0; c < k; c++) {
                reflect(q, c, v, vv, j, m);
            }
        }
        // Back substitution R·x = Qᵀb on the top n rows.
        Matrix x = new Matrix(n, k);
        for (int c = 0; c < k; c++) {
            for (int i = n - 1; i >= 0; i--) {
                double s = q[i][c];
                for (int j = i + 1; j < n; j++) {
                    s -= r[i][j] * x.get(j, c);
                }
                x.set(i, c, s / r[i][i]);
            }
        }
        return x;
    }

    private static void reflect(double[][] a, int col, double[] v, double vv, int from, int m) {
        double dot = 0;
        for (int i = from; i < m; i++) {
            dot += v[i] * a[i][col];
        }
        double f = 2 * dot / vv;
        for (int i = from; i < m; i++) {
            a[i][col] -= f * v[i];
        }
    }
}
