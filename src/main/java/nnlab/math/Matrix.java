package nnlab.math;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * A dense matrix of doubles stored row-major in one {@code double[]}.
 *
 * <p>The API reads like the math it implements:
 * <pre>{@code
 * Matrix scores = X.dot(W).addRow(b);          // scores = X·W + b
 * Matrix dW = X.T().dot(dscores);               // dW = Xᵀ·dscores, no transpose copied
 * Matrix db = dscores.colSums();                // db = Σ_i dscores[i, :]
 * W.addScaledInPlace(-stepSize, dW);            // W += -stepSize·dW
 * }</pre>
 *
 * <p>Operations return new matrices unless their name ends in {@code InPlace}. Shape mismatches throw an
 * {@link IllegalArgumentException} naming the operation and both shapes, e.g.
 * {@code dot: (300x2)·(3x100): inner dimensions 2 and 3 differ}. Axis conventions follow numpy: {@link #colSums()}
 * is {@code sum(axis=0, keepdims=True)} and {@link #rowSums()} is {@code sum(axis=1, keepdims=True)}.
 */
public final class Matrix {
    private final int rows;
    private final int cols;
    private final double[] data;

    /** A rows x cols matrix of zeros. */
    public Matrix(int rows, int cols) {
        checkShape(rows, cols);
        this.rows = rows;
        this.cols = cols;
        this.data = new double[Math.multiplyExact(rows, cols)];
    }

    private Matrix(int rows, int cols, double[] data) {
        this.rows = rows;
        this.cols = cols;
        this.data = data;
    }

    private static void checkShape(int rows, int cols) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("Matrix: negative shape (" + rows + "x" + cols + ")");
        }
    }

    // ---------------------------------------------------------------- construction

    /**
     * A rows x cols matrix for a result that is recomputed again and again (training loops): {@code buffer} itself
     * when it has that shape, else a new one. Its content is not cleared.
     */
    public static Matrix reuse(Matrix buffer, int rows, int cols) {
        return buffer != null && buffer.rows == rows && buffer.cols == cols ? buffer : new Matrix(rows, cols);
    }

    /**
     * The points of a steps x steps grid over [xmin, xmax] x [ymin, ymax], one per row, x varying fastest: the
     * rows of {@code np.c_[xx.ravel(), yy.ravel()]} for {@code xx, yy = np.meshgrid(linspace(x), linspace(y))}.
     */
    public static Matrix meshgrid(double xmin, double xmax, double ymin, double ymax, int steps) {
        return meshgrid(xmin, xmax, steps, ymin, ymax, steps);
    }

    /** A grid with its own resolution along each axis; see {@link #meshgrid(double, double, double, double, int)}. */
    public static Matrix meshgrid(double xmin, double xmax, int xSteps, double ymin, double ymax, int ySteps) {
        Matrix xs = linspace(xmin, xmax, xSteps);
        Matrix ys = linspace(ymin, ymax, ySteps);
        Matrix grid = new Matrix(xSteps * ySteps, 2);
        for (int r = 0; r < ySteps; r++) {
            for (int c = 0; c < xSteps; c++) {
                grid.set(r * xSteps + c, 0, xs.get(c));
                grid.set(r * xSteps + c, 1, ys.get(r));
            }
        }
        return grid;
    }

    /** A rows × cols matrix of zeros. */
    public static Matrix zeros(int rows, int cols) {
        return new Matrix(rows, cols);
    }

    /** A rows × cols matrix of ones. */
    public static Matrix ones(int rows, int cols) {
        return filled(rows, cols, 1.0);
    }

    /** A rows × cols matrix with every entry {@code value}. */
    public static Matrix filled(int rows, int cols, double value) {
        Matrix m = new Matrix(rows, cols);
        Arrays.fill(m.data, value);
        return m;
    }

    /** The n × n identity matrix. */
    public static Matrix identity(int n) {
        Matrix m = new Matrix(n, n);
        for (int i = 0; i < n; i++) {
            m.data[i * n + i] = 1.0;
        }
        return m;
    }

    /** Wraps (does not copy) a row-major array as a rows x cols matrix. */
    public static Matrix wrap(int rows, int cols, double[] data) {
        checkShape(rows, cols);
        if (data.length != (long) rows * cols) {
            throw new IllegalArgumentException("wrap: " + data.length + " values cannot fill a (" + rows + "x" + cols
                    + ") matrix, which needs " + (long) rows * cols);
        }
        return new Matrix(rows, cols, data);
    }

    /** Copies a rectangular {@code double[][]} (rows of equal length). */
    public static Matrix of(double[]... rowsData) {
        int r = rowsData.length;
        int c = r == 0 ? 0 : rowsData[0].length;
        Matrix m = new Matrix(r, c);
        for (int i = 0; i < r; i++) {
            if (rowsData[i].length != c) {
                throw new IllegalArgumentException("of: row " + i + " has " + rowsData[i].length
                        + " values but row 0 has " + c + "; all rows must have the same length");
            }
            System.arraycopy(rowsData[i], 0, m.data, i * c, c);
        }
        return m;
    }

    /** A 1 x n row vector: {@code Matrix.rowVector(-5, 15, -5, 15)}. (Row i of a matrix is {@link #row(int)}.) */
    public static Matrix rowVector(double... values) {
        return new Matrix(1, values.length, values.clone());
    }

    /**
     * A 1 x n row vector.
     *
     * @deprecated next to the instance method {@link #row(int)} (row i of a matrix) this read ambiguously; use
     *     {@link #rowVector(double...)}.
     */
    @Deprecated(forRemoval = true)
    public static Matrix row(double... values) {
        return rowVector(values);
    }

    /** An n x 1 column vector: {@code Matrix.columnVector(10, 10, 10, 10)}. */
    public static Matrix columnVector(double... values) {
        return new Matrix(values.length, 1, values.clone());
    }

    /**
     * An n x 1 column vector.
     *
     * @deprecated renamed {@link #columnVector(double...)}, like {@link #rowVector(double...)}.
     */
    @Deprecated(forRemoval = true)
    public static Matrix column(double... values) {
        return columnVector(values);
    }

    /** {@code np.linspace(start, stop, n)} as a 1 x n row, with numpy's formula so values match bit for bit. */
    public static Matrix linspace(double start, double stop, int n) {
        Matrix m = new Matrix(1, n);
        if (n == 1) {
            m.data[0] = start;
        } else if (n > 1) {
            double step = (stop - start) / (n - 1);
            for (int i = 0; i < n; i++) {
                m.data[i] = start + i * step;
            }
            m.data[n - 1] = stop;
        }
        return m;
    }

    /** One-hot encoding: row i has a 1 in column labels[i]; labels must lie in [0, numClasses). */
    public static Matrix oneHot(int[] labels, int numClasses) {
        Labels.check("oneHot", labels, numClasses);
        Matrix m = new Matrix(labels.length, numClasses);
        for (int i = 0; i < labels.length; i++) {
            m.data[i * numClasses + labels[i]] = 1.0;
        }
        return m;
    }

    // ---------------------------------------------------------------- shape and access

    /** The number of rows (N for a batch: one sample per row). */
    public int rows() {
        return rows;
    }

    /** The number of columns (D for a batch: features per sample). */
    public int cols() {
        return cols;
    }

    /** rows × cols, the number of entries. */
    public int size() {
        return data.length;
    }

    /** The backing row-major array (not a copy): element (i, j) is at {@code i * cols() + j}. */
    public double[] data() {
        return data;
    }

    /** The shape as {@code (rows x cols)}, for messages. */
    public String shapeString() {
        return "(" + rows + "x" + cols + ")";
    }

    /** Whether o has this matrix's rows × cols. */
    public boolean sameShape(Matrix o) {
        return rows == o.rows && cols == o.cols;
    }

    /** The entry in row i, column j (0-based). */
    public double get(int i, int j) {
        checkIndex(i, j);
        return data[i * cols + j];
    }

    /** Sets the entry in row i, column j (0-based) to v. */
    public void set(int i, int j, double v) {
        checkIndex(i, j);
        data[i * cols + j] = v;
    }

    /** Element k of the row-major storage (handy for vectors). */
    public double get(int k) {
        return data[k];
    }

    private void checkIndex(int i, int j) {
        if (i < 0 || i >= rows || j < 0 || j >= cols) {
            throw new IndexOutOfBoundsException("index (" + i + ", " + j + ") is outside the " + shapeString()
                    + " matrix");
        }
    }

    /** A deep copy, same shape. */
    public Matrix copy() {
        return new Matrix(rows, cols, data.clone());
    }

    /** Same values, new shape with the same number of elements (row-major order is kept). */
    public Matrix reshape(int newRows, int newCols) {
        if ((long) newRows * newCols != data.length) {
            throw new IllegalArgumentException("reshape: " + shapeString() + " has " + data.length
                    + " values, cannot become (" + newRows + "x" + newCols + ")");
        }
        return new Matrix(newRows, newCols, data.clone());
    }

    /** Row i as a 1 x cols matrix (a copy). */
    public Matrix row(int i) {
        checkIndex(i, 0);
        return new Matrix(1, cols, Arrays.copyOfRange(data, i * cols, (i + 1) * cols));
    }

    /** Column j as a rows x 1 matrix (a copy). */
    public Matrix col(int j) {
        checkIndex(0, j);
        Matrix m = new Matrix(rows, 1);
        for (int i = 0; i < rows; i++) {
            m.data[i] = data[i * cols + j];
        }
        return m;
    }

    /** Column j as an array. */
    public double[] colArray(int j) {
        return col(j).data;
    }

    /** The rows at the given indices, in that order (mini-batches): {@code X[idx]} in numpy. */
    public Matrix rows(int[] indices) {
        Matrix m = new Matrix(indices.length, cols);
        for (int r = 0; r < indices.length; r++) {
            int i = indices[r];
            if (i < 0 || i >= rows) {
                throw new IndexOutOfBoundsException("rows: index " + i + " at position " + r + " is outside [0, "
                        + rows + ") for a " + shapeString() + " matrix");
            }
            System.arraycopy(data, i * cols, m.data, r * cols, cols);
        }
        return m;
    }

    /** Rows [from, to) as a new matrix. */
    public Matrix rowRange(int from, int to) {
        if (from < 0 || to > rows || from > to) {
            throw new IndexOutOfBoundsException("rowRange: [" + from + ", " + to + ") is not inside [0, " + rows
                    + "]");
        }
        return new Matrix(to - from, cols, Arrays.copyOfRange(data, from * cols, to * cols));
    }

    /** Columns [from, to) as a new matrix. */
    public Matrix colRange(int from, int to) {
        if (from < 0 || to > cols || from > to) {
            throw new IndexOutOfBoundsException("colRange: [" + from + ", " + to + ") is not inside [0, " + cols
                    + "]");
        }
        Matrix m = new Matrix(rows, to - from);
        for (int i = 0; i < rows; i++) {
            System.arraycopy(data, i * cols + from, m.data, i * m.cols, to - from);
        }
        return m;
    }

    /** Stacks this matrix's columns and other's side by side: {@code np.c_[A, B]}. */
    public Matrix hstack(Matrix other) {
        if (rows != other.rows) {
            throw new IllegalArgumentException("hstack: " + shapeString() + " and " + other.shapeString()
                    + ": row counts " + rows + " and " + other.rows + " differ");
        }
        Matrix m = new Matrix(rows, cols + other.cols);
        for (int i = 0; i < rows; i++) {
            System.arraycopy(data, i * cols, m.data, i * m.cols, cols);
            System.arraycopy(other.data, i * other.cols, m.data, i * m.cols + cols, other.cols);
        }
        return m;
    }

    /** Stacks other's rows below this matrix's: {@code np.vstack([A, B])}. */
    public Matrix vstack(Matrix other) {
        if (cols != other.cols) {
            throw new IllegalArgumentException("vstack: " + shapeString() + " and " + other.shapeString()
                    + ": column counts " + cols + " and " + other.cols + " differ");
        }
        double[] d = Arrays.copyOf(data, data.length + other.data.length);
        System.arraycopy(other.data, 0, d, data.length, other.data.length);
        return new Matrix(rows + other.rows, cols, d);
    }

    /** Copies of the rows as arrays. */
    public double[][] toArray() {
        double[][] out = new double[rows][];
        for (int i = 0; i < rows; i++) {
            out[i] = Arrays.copyOfRange(data, i * cols, (i + 1) * cols);
        }
        return out;
    }

    // ---------------------------------------------------------------- products

    /** Matrix product {@code this·other}. */
    public Matrix dot(Matrix other) {
        return MatMul.multiply(this, false, other, false);
    }

    /** {@code this·otherᵀ}, computed without copying the transpose. */
    public Matrix dot(Transposed other) {
        return MatMul.multiply(this, false, other.matrix, true);
    }

    /**
     * A lazy transpose for products: {@code A.T().dot(B)} computes Aᵀ·B without copying Aᵀ. Use
     * {@link #transpose()} for an actual transposed matrix.
     */
    public Transposed T() {
        return new Transposed(this);
    }

    /** A new matrix holding the transpose. */
    public Matrix transpose() {
        Matrix t = new Matrix(cols, rows);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t.data[j * rows + i] = data[i * cols + j];
            }
        }
        return t;
    }

    /** The transpose of a matrix as an operand of a product; see {@link Matrix#T()}. */
    public static final class Transposed {
        private final Matrix matrix;

        private Transposed(Matrix matrix) {
            this.matrix = matrix;
        }

        /** {@code Aᵀ·other}. */
        public Matrix dot(Matrix other) {
            return MatMul.multiply(matrix, true, other, false);
        }

        /** {@code Aᵀ·Bᵀ}. */
        public Matrix dot(Transposed other) {
            return MatMul.multiply(matrix, true, other.matrix, true);
        }

        /** The transpose as a matrix of its own (copies). */
        public Matrix toMatrix() {
            return matrix.transpose();
        }

        /** Rows of Aᵀ: the columns of A. */
        public int rows() {
            return matrix.cols;
        }

        /** Columns of Aᵀ: the rows of A. */
        public int cols() {
            return matrix.rows;
        }
    }

    // ---------------------------------------------------------------- element-wise

    private void requireSameShape(String op, Matrix o) {
        if (rows != o.rows || cols != o.cols) {
            throw new IllegalArgumentException(op + ": " + shapeString() + " and " + o.shapeString()
                    + ": shapes differ");
        }
    }

    private void requireRowVector(String op, Matrix row) {
        if (row.rows != 1 || row.cols != cols) {
            throw new IllegalArgumentException(op + ": " + shapeString() + " and " + row.shapeString()
                    + ": expected a (1x" + cols + ") row vector to broadcast over the rows");
        }
    }

    private void requireColumnVector(String op, Matrix col) {
        if (col.cols != 1 || col.rows != rows) {
            throw new IllegalArgumentException(op + ": " + shapeString() + " and " + col.shapeString()
                    + ": expected a (" + rows + "x1) column vector to broadcast over the columns");
        }
    }

    /** {@code this + o}, element-wise; o has this shape (R × C); a new R × C matrix. */
    public Matrix add(Matrix o) {
        requireSameShape("add", o);
        Matrix m = new Matrix(rows, cols);
        for (int k = 0; k < data.length; k++) {
            m.data[k] = data[k] + o.data[k];
        }
        return m;
    }

    /** {@code this − o}, element-wise; o has this shape (R × C); a new R × C matrix. */
    public Matrix sub(Matrix o) {
        requireSameShape("sub", o);
        Matrix m = new Matrix(rows, cols);
        for (int k = 0; k < data.length; k++) {
            m.data[k] = data[k] - o.data[k];
        }
        return m;
    }

    /** Element-wise (Hadamard) product. */
    public Matrix mul(Matrix o) {
        requireSameShape("mul", o);
        Matrix m = new Matrix(rows, cols);
        for (int k = 0; k < data.length; k++) {
            m.data[k] = data[k] * o.data[k];
        }
        return m;
    }

    /** Element-wise quotient. */
    public Matrix div(Matrix o) {
        requireSameShape("div", o);
        Matrix m = new Matrix(rows, cols);
        for (int k = 0; k < data.length; k++) {
            m.data[k] = data[k] / o.data[k];
        }
        return m;
    }

    /** Every element times s. */
    public Matrix times(double s) {
        Matrix m = new Matrix(rows, cols);
        for (int k = 0; k < data.length; k++) {
            m.data[k] = data[k] * s;
        }
        return m;
    }

    /** Every element divided by s (a true division, so results round exactly like numpy's {@code a / s}). */
    public Matrix div(double s) {
        Matrix m = new Matrix(rows, cols);
        for (int k = 0; k < data.length; k++) {
            m.data[k] = data[k] / s;
        }
        return m;
    }

    /** Every element plus s. */
    public Matrix plus(double s) {
        Matrix m = new Matrix(rows, cols);
        for (int k = 0; k < data.length; k++) {
            m.data[k] = data[k] + s;
        }
        return m;
    }

    /** {@code this + row} with the 1 x cols row added to every row (numpy broadcasting). */
    public Matrix addRow(Matrix row) {
        requireRowVector("addRow", row);
        Matrix m = new Matrix(rows, cols);
        for (int i = 0; i < rows; i++) {
            int o = i * cols;
            for (int j = 0; j < cols; j++) {
                m.data[o + j] = data[o + j] + row.data[j];
            }
        }
        return m;
    }

    /** this += row for every row, in place (numpy's {@code A += b} with b of shape (1, cols)); returns this. */
    public Matrix addRowInPlace(Matrix row) {
        requireRowVector("addRowInPlace", row);
        if (VectorSupport.AVAILABLE) {
            VectorKernels.addRow(data, rows, cols, row.data);
            return this;
        }
        for (int i = 0; i < rows; i++) {
            int o = i * cols;
            for (int j = 0; j < cols; j++) {
                data[o + j] += row.data[j];
            }
        }
        return this;
    }

    /** {@code this - row} broadcast over the rows. */
    public Matrix subRow(Matrix row) {
        requireRowVector("subRow", row);
        Matrix m = new Matrix(rows, cols);
        for (int i = 0; i < rows; i++) {
            int o = i * cols;
            for (int j = 0; j < cols; j++) {
                m.data[o + j] = data[o + j] - row.data[j];
            }
        }
        return m;
    }

    /** Each row multiplied element-wise by the 1 x cols row. */
    public Matrix mulRow(Matrix row) {
        requireRowVector("mulRow", row);
        Matrix m = new Matrix(rows, cols);
        for (int i = 0; i < rows; i++) {
            int o = i * cols;
            for (int j = 0; j < cols; j++) {
                m.data[o + j] = data[o + j] * row.data[j];
            }
        }
        return m;
    }

    /** Each row divided element-wise by the 1 x cols row. */
    public Matrix divRow(Matrix row) {
        requireRowVector("divRow", row);
        Matrix m = new Matrix(rows, cols);
        for (int i = 0; i < rows; i++) {
            int o = i * cols;
            for (int j = 0; j < cols; j++) {
                m.data[o + j] = data[o + j] / row.data[j];
            }
        }
        return m;
    }

    /** {@code this + col} with the rows x 1 column added to every column. */
    public Matrix addColumn(Matrix col) {
        requireColumnVector("addColumn", col);
        Matrix m = new Matrix(rows, cols);
        for (int i = 0; i < rows; i++) {
            int o = i * cols;
            double c = col.data[i];
            for (int j = 0; j < cols; j++) {
                m.data[o + j] = data[o + j] + c;
            }
        }
        return m;
    }

    /** Each row i divided by col[i] (e.g. normalizing rows by their sums). */
    public Matrix divColumn(Matrix col) {
        requireColumnVector("divColumn", col);
        Matrix m = new Matrix(rows, cols);
        for (int i = 0; i < rows; i++) {
            int o = i * cols;
            double c = col.data[i];
            for (int j = 0; j < cols; j++) {
                m.data[o + j] = data[o + j] / c;
            }
        }
        return m;
    }

    /** Each row i multiplied by col[i]. */
    public Matrix mulColumn(Matrix col) {
        requireColumnVector("mulColumn", col);
        Matrix m = new Matrix(rows, cols);
        for (int i = 0; i < rows; i++) {
            int o = i * cols;
            double c = col.data[i];
            for (int j = 0; j < cols; j++) {
                m.data[o + j] = data[o + j] * c;
            }
        }
        return m;
    }

    /** f applied to every element. */
    public Matrix map(DoubleUnaryOperator f) {
        Matrix m = new Matrix(rows, cols);
        for (int k = 0; k < data.length; k++) {
            m.data[k] = f.applyAsDouble(data[k]);
        }
        return m;
    }

    /** f(this[k], other[k]) for every element k. */
    public Matrix zip(Matrix other, DoubleBinaryOperator f) {
        requireSameShape("zip", other);
        Matrix m = new Matrix(rows, cols);
        for (int k = 0; k < data.length; k++) {
            m.data[k] = f.applyAsDouble(data[k], other.data[k]);
        }
        return m;
    }

    /** {@code np.maximum(this, s)}; {@code maximum(0)} is the ReLU. */
    public Matrix maximum(double s) {
        return maximumInto(s, new Matrix(rows, cols));
    }

    /** {@link #maximum(double)} written into out (same shape, overwritten); returns out. */
    public Matrix maximumInto(double s, Matrix out) {
        requireSameShape("maximumInto", out);
        if (VectorSupport.AVAILABLE) {
            VectorKernels.maximum(data, s, out.data, data.length);
            return out;
        }
        for (int k = 0; k < data.length; k++) {
            double v = data[k];
            out.data[k] = (v > s || Double.isNaN(v)) ? v : s; // NaN propagates, as in numpy
        }
        return out;
    }

    /**
     * out = this where gate > 0, else 0, element by element (the ReLU switch: this is the upstream gradient, gate
     * the ReLU's input). out may be this. Returns out.
     */
    public Matrix gatePositiveInto(Matrix gate, Matrix out) {
        requireSameShape("gatePositiveInto", gate);
        requireSameShape("gatePositiveInto", out);
        if (VectorSupport.AVAILABLE) {
            VectorKernels.gatePositive(data, gate.data, out.data, data.length);
            return out;
        }
        for (int k = 0; k < data.length; k++) {
            out.data[k] = gate.data[k] > 0 ? data[k] : 0.0;
        }
        return out;
    }

    /** e^x of every entry, a new matrix of the same shape. */
    public Matrix exp() {
        return map(Math::exp);
    }

    /** The natural logarithm of every entry, a new matrix of the same shape. */
    public Matrix log() {
        return map(Math::log);
    }

    /** The square root of every entry, a new matrix of the same shape. */
    public Matrix sqrt() {
        return map(Math::sqrt);
    }

    /** The absolute value of every entry, a new matrix of the same shape. */
    public Matrix abs() {
        return map(Math::abs);
    }

    /** The square of every entry, a new matrix of the same shape. */
    public Matrix square() {
        Matrix m = new Matrix(rows, cols);
        for (int k = 0; k < data.length; k++) {
            m.data[k] = data[k] * data[k];
        }
        return m;
    }

    /** Element-wise sign: -1, 0 or 1. */
    public Matrix sign() {
        return map(Math::signum);
    }

    /** Logistic sigmoid 1/(1+e^-x), computed without overflow for large |x|. */
    public Matrix sigmoid() {
        return sigmoidInto(new Matrix(rows, cols));
    }

    /** {@link #sigmoid()} written into out (same shape, overwritten); returns out. */
    public Matrix sigmoidInto(Matrix out) {
        requireSameShape("sigmoidInto", out);
        for (int k = 0; k < data.length; k++) {
            out.data[k] = Functions.sigmoid(data[k]);
        }
        return out;
    }

    /** tanh of every entry, a new matrix of the same shape. */
    public Matrix tanh() {
        return tanhInto(new Matrix(rows, cols));
    }

    /** {@link #tanh()} written into out (same shape, overwritten); returns out. */
    public Matrix tanhInto(Matrix out) {
        requireSameShape("tanhInto", out);
        for (int k = 0; k < data.length; k++) {
            out.data[k] = Math.tanh(data[k]);
        }
        return out;
    }

    // ---------------------------------------------------------------- in place

    /** this += s·other, in place; returns this. */
    public Matrix addScaledInPlace(double s, Matrix other) {
        requireSameShape("addScaledInPlace", other);
        double[] o = other.data;
        for (int k = 0; k < data.length; k++) {
            data[k] += s * o[k];
        }
        return this;
    }

    /** this += other, in place; returns this. */
    public Matrix addInPlace(Matrix other) {
        requireSameShape("addInPlace", other);
        for (int k = 0; k < data.length; k++) {
            data[k] += other.data[k];
        }
        return this;
    }

    /** this -= other, in place; returns this. */
    public Matrix subInPlace(Matrix other) {
        requireSameShape("subInPlace", other);
        for (int k = 0; k < data.length; k++) {
            data[k] -= other.data[k];
        }
        return this;
    }

    /** this /= s, in place; returns this. (Division, not multiplication by 1/s, so values match numpy's {@code /=}.) */
    public Matrix divInPlace(double s) {
        for (int k = 0; k < data.length; k++) {
            data[k] /= s;
        }
        return this;
    }

    /** this *= s, in place; returns this. */
    public Matrix timesInPlace(double s) {
        for (int k = 0; k < data.length; k++) {
            data[k] *= s;
        }
        return this;
    }

    /** Sets every element to v; returns this. */
    public Matrix fillInPlace(double v) {
        Arrays.fill(data, v);
        return this;
    }

    /** Copies other's values into this matrix of the same shape; returns this. */
    public Matrix setInPlace(Matrix other) {
        requireSameShape("setInPlace", other);
        System.arraycopy(other.data, 0, data, 0, data.length);
        return this;
    }

    /** f applied to every element in place; returns this. */
    public Matrix mapInPlace(DoubleUnaryOperator f) {
        for (int k = 0; k < data.length; k++) {
            data[k] = f.applyAsDouble(data[k]);
        }
        return this;
    }

    // ---------------------------------------------------------------- reductions

    /** Sum of all elements. */
    public double sum() {
        double s = 0;
        for (double v : data) {
            s += v;
        }
        return s;
    }

    /** The mean of all rows × cols entries. */
    public double mean() {
        return sum() / data.length;
    }

    /** Σ x², e.g. for an L2 penalty. */
    public double sumOfSquares() {
        double s = 0;
        for (double v : data) {
            s += v * v;
        }
        return s;
    }

    /** The largest entry. */
    public double max() {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : data) {
            m = Math.max(m, v);
        }
        return m;
    }

    /** The smallest entry. */
    public double min() {
        double m = Double.POSITIVE_INFINITY;
        for (double v : data) {
            m = Math.min(m, v);
        }
        return m;
    }

    /** Largest absolute value (the max-norm). */
    public double maxAbs() {
        double m = 0;
        for (double v : data) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    /** True if any element is NaN or infinite. */
    public boolean hasNonFinite() {
        for (double v : data) {
            if (!Double.isFinite(v)) {
                return true;
            }
        }
        return false;
    }

    /** Sums down each column: a 1 x cols row, numpy's {@code sum(axis=0, keepdims=True)}. */
    public Matrix colSums() {
        return colSumsInto(new Matrix(1, cols));
    }

    /** {@link #colSums()} written into out (1 x cols, overwritten); returns out. */
    public Matrix colSumsInto(Matrix out) {
        if (out.rows != 1 || out.cols != cols) {
            throw new IllegalArgumentException("colSumsInto: result " + out.shapeString() + " must be (1x" + cols + ")");
        }
        if (VectorSupport.AVAILABLE) {
            VectorKernels.colSums(data, rows, cols, out.data);
            return out;
        }
        java.util.Arrays.fill(out.data, 0.0);
        for (int i = 0; i < rows; i++) {
            int o = i * cols;
            for (int j = 0; j < cols; j++) {
                out.data[j] += data[o + j];
            }
        }
        return out;
    }

    /** Means down each column: a 1 x cols row. */
    public Matrix colMeans() {
        return colSums().timesInPlace(1.0 / rows);
    }

    /** Population standard deviation of each column (numpy's {@code std(axis=0)}, ddof=0): a 1 x cols row. */
    public Matrix colStds() {
        Matrix mean = colMeans();
        Matrix m = new Matrix(1, cols);
        for (int i = 0; i < rows; i++) {
            int o = i * cols;
            for (int j = 0; j < cols; j++) {
                double d = data[o + j] - mean.data[j];
                m.data[j] += d * d;
            }
        }
        for (int j = 0; j < cols; j++) {
            m.data[j] = Math.sqrt(m.data[j] / rows);
        }
        return m;
    }

    /** Sums along each row: a rows x 1 column, numpy's {@code sum(axis=1, keepdims=True)}. */
    public Matrix rowSums() {
        Matrix m = new Matrix(rows, 1);
        for (int i = 0; i < rows; i++) {
            double s = 0;
            int o = i * cols;
            for (int j = 0; j < cols; j++) {
                s += data[o + j];
            }
            m.data[i] = s;
        }
        return m;
    }

    /** Means along each row: a rows x 1 column. */
    public Matrix rowMeans() {
        return rowSums().timesInPlace(1.0 / cols);
    }

    /** Largest value of each row: a rows x 1 column. */
    public Matrix rowMax() {
        Matrix m = new Matrix(rows, 1);
        for (int i = 0; i < rows; i++) {
            double best = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) {
                best = Math.max(best, data[i * cols + j]);
            }
            m.data[i] = best;
        }
        return m;
    }

    /** Column index of the largest value in each row (the first one on ties, like numpy). */
    public int[] argmaxRows() {
        int[] out = new int[rows];
        for (int i = 0; i < rows; i++) {
            int o = i * cols;
            int best = 0;
            for (int j = 1; j < cols; j++) {
                if (data[o + j] > data[o + best]) {
                    best = j;
                }
            }
            out[i] = best;
        }
        return out;
    }

    /**
     * Row-wise softmax {@code exp(s - max) / Σ exp(s - max)}: subtracting each row's max first keeps exp from
     * overflowing, and does not change the result.
     */
    public Matrix softmaxRows() {
        Matrix m = new Matrix(rows, cols);
        for (int i = 0; i < rows; i++) {
            int o = i * cols;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) {
                max = Math.max(max, data[o + j]);
            }
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                double e = Math.exp(data[o + j] - max);
                m.data[o + j] = e;
                sum += e;
            }
            for (int j = 0; j < cols; j++) {
                m.data[o + j] /= sum;
            }
        }
        return m;
    }

    /** Row-wise log-softmax {@code s - logsumexp(s)}, stable for large scores. */
    public Matrix logSoftmaxRows() {
        Matrix lse = logSumExpRows();
        Matrix m = new Matrix(rows, cols);
        for (int i = 0; i < rows; i++) {
            int o = i * cols;
            for (int j = 0; j < cols; j++) {
                m.data[o + j] = data[o + j] - lse.data[i];
            }
        }
        return m;
    }

    /** {@code log Σ_j exp(s_ij)} per row as a rows x 1 column, computed as {@code max + log Σ exp(s - max)}. */
    public Matrix logSumExpRows() {
        Matrix m = new Matrix(rows, 1);
        for (int i = 0; i < rows; i++) {
            int o = i * cols;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) {
                max = Math.max(max, data[o + j]);
            }
            if (max == Double.NEGATIVE_INFINITY || Double.isNaN(max)) {
                m.data[i] = max;
                continue;
            }
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                sum += Math.exp(data[o + j] - max);
            }
            m.data[i] = max + Math.log(sum);
        }
        return m;
    }

    // ---------------------------------------------------------------- comparison and printing

    /** True if shapes match and every pair of elements differs by at most tol. */
    public boolean approxEquals(Matrix o, double tol) {
        if (!sameShape(o)) {
            return false;
        }
        for (int k = 0; k < data.length; k++) {
            if (!(Math.abs(data[k] - o.data[k]) <= tol)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Matrix m && rows == m.rows && cols == m.cols && Arrays.equals(data, m.data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * rows + cols) + Arrays.hashCode(data);
    }

    /** Shape and values, eliding the middle of large matrices like numpy does. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append("Matrix ").append(shapeString()).append('\n');
        for (int i = 0; i < rows; i++) {
            if (rows > 10 && i == 3) {
                sb.append(" ...\n");
                i = rows - 4;
                continue;
            }
            sb.append(" [");
            for (int j = 0; j < cols; j++) {
                if (cols > 10 && j == 3) {
                    sb.append("      ...  ");
                    j = cols - 4;
                    continue;
                }
                sb.append(String.format(Locale.ROOT, "%11.4g", data[i * cols + j]));
            }
            sb.append(" ]\n");
        }
        if (rows == 0 || cols == 0) {
            sb.append(" []\n");
        }
        return sb.toString();
    }
}
