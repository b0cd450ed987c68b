package nnlab.math;

/**
 * A random number generator that reproduces numpy's legacy {@code np.random.seed(s)} / {@code RandomState(s)}
 * streams bit for bit, so a Java notebook and its numpy twin draw identical numbers.
 *
 * <p>The engine is the 32-bit Mersenne Twister MT19937 seeded with {@code init_genrand(seed)}, exactly as numpy does
 * for an integer seed. On top of it sit numpy's legacy distributions: 53-bit doubles ({@code random_sample}), the
 * polar Box-Muller method with its cached second value ({@code standard_normal}), masked rejection sampling for
 * integers ({@code randint}) and the Fisher-Yates shuffle driven by {@code random_interval} ({@code shuffle},
 * {@code permutation}). The order of draws matches numpy call for call, so interleaving calls keeps the streams in
 * step too.
 */
public final class NumpyRandom {
    private static final int N = 624;
    private static final int M = 397;
    private static final int MATRIX_A = 0x9908b0df;
    private static final int UPPER_MASK = 0x80000000;
    private static final int LOWER_MASK = 0x7fffffff;

    private final int[] mt = new int[N];
    private int mti;
    private boolean hasGauss;
    private double gauss;

    /** Same stream as {@code np.random.seed(seed)}; numpy accepts seeds in [0, 2^32 - 1]. */
    public NumpyRandom(long seed) {
        seed(seed);
    }

    /** Re-seeds, like {@code np.random.seed(seed)}; also forgets a cached normal value. */
    public void seed(long seed) {
        if (seed < 0 || seed > 0xffffffffL) {
            throw new IllegalArgumentException("NumpyRandom: seed " + seed + " is outside [0, 2^32-1], numpy's range "
                    + "for legacy seeds; pass a non-negative 32-bit value");
        }
        mt[0] = (int) seed;
        for (mti = 1; mti < N; mti++) {
            mt[mti] = 1812433253 * (mt[mti - 1] ^ (mt[mti - 1] >>> 30)) + mti;
        }
        hasGauss = false;
        gauss = 0.0;
    }

    /** The next raw 32-bit output of MT19937, as an unsigned value in a long. */
    public long nextUint32() {
        return nextInt() & 0xffffffffL;
    }

    private int nextInt() {
        if (mti >= N) {
            twist();
        }
        int y = mt[mti++];
        y ^= (y >>> 11);
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= (y >>> 18);
        return y;
    }

    private void twist() {
        int kk = 0;
        for (; kk < N - M; kk++) {
            int y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
            mt[kk] = mt[kk + M] ^ (y >>> 1) ^ ((y & 1) != 0 ? MATRIX_A : 0);
        }
        for (; kk < N - 1; kk++) {
            int y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
            mt[kk] = mt[kk + (M - N)] ^ (y >>> 1) ^ ((y & 1) != 0 ? MATRIX_A : 0);
        }
        int y = (mt[N - 1] & UPPER_MASK) | (mt[0] & LOWER_MASK);
        mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ ((y & 1) != 0 ? MATRIX_A : 0);
        mti = 0;
    }

    private long nextUint64() {
        return (nextUint32() << 32) | nextUint32();
    }

    /** One double uniform in [0, 1) with 53 random bits: {@code np.random.random_sample()} / {@code rand()}. */
    public double randomSample() {
        long a = nextUint32() >>> 5;
        long b = nextUint32() >>> 6;
        return (a * 67108864.0 + b) / 9007199254740992.0;
    }

    /** A rows x cols matrix of {@link #randomSample()} values in row-major order: {@code np.random.rand(rows, cols)}. */
    public Matrix rand(int rows, int cols) {
        Matrix m = new Matrix(rows, cols);
        double[] d = m.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = randomSample();
        }
        return m;
    }

    /** One standard normal value by numpy's legacy polar method: {@code np.random.standard_normal()}. */
    public double standardNormal() {
        if (hasGauss) {
            hasGauss = false;
            return gauss;
        }
        double x1;
        double x2;
        double r2;
        do {
            x1 = 2.0 * randomSample() - 1.0;
            x2 = 2.0 * randomSample() - 1.0;
            r2 = x1 * x1 + x2 * x2;
        } while (r2 >= 1.0 || r2 == 0.0);
        double f = Math.sqrt(-2.0 * Math.log(r2) / r2);
        gauss = f * x1;
        hasGauss = true;
        return f * x2;
    }

    /** {@code np.random.randn(n)} as an array. */
    public double[] randn(int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = standardNormal();
        }
        return out;
    }

    /** {@code np.random.randn(rows, cols)}: standard normal values filled in row-major order. */
    public Matrix randn(int rows, int cols) {
        return Matrix.wrap(rows, cols, randn(Math.multiplyExact(rows, cols)));
    }

    /** {@code np.random.normal(mean, std)}. */
    public double normal(double mean, double std) {
        if (!(std >= 0)) {
            throw new IllegalArgumentException("normal: std must be >= 0, got " + std);
        }
        return mean + std * standardNormal();
    }

    /** {@code np.random.normal(mean, std, (rows, cols))}. */
    public Matrix normal(double mean, double std, int rows, int cols) {
        Matrix m = new Matrix(rows, cols);
        double[] d = m.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = normal(mean, std);
        }
        return m;
    }

    /** {@code np.random.uniform(low, high)}: a value in [low, high). */
    public double uniform(double low, double high) {
        return low + (high - low) * randomSample();
    }

    /** {@code np.random.uniform(low, high, (rows, cols))}. */
    public Matrix uniform(double low, double high, int rows, int cols) {
        Matrix m = new Matrix(rows, cols);
        double[] d = m.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = uniform(low, high);
        }
        return m;
    }

    /** {@code np.random.randint(low, high)}: an integer in [low, high). */
    public long randint(long low, long high) {
        if (high <= low) {
            throw new IllegalArgumentException("randint: low >= high (" + low + " >= " + high + ")");
        }
        long range = high - low - 1; // numpy works on the closed range [0, high-low-1]
        if (range == 0) {
            return low;
        }
        long mask = maskFor(range);
        long value;
        if (Long.compareUnsigned(range, 0xffffffffL) <= 0) {
            do {
                value = nextUint32() & mask;
            } while (value > range);
        } else {
            do {
                value = nextUint64() & mask;
            } while (Long.compareUnsigned(value, range) > 0);
        }
        return low + value;
    }

    /** {@code np.random.randint(low, high, size)}. */
    public int[] randint(int low, int high, int size) {
        int[] out = new int[size];
        for (int i = 0; i < size; i++) {
            out[i] = (int) randint(low, (long) high);
        }
        return out;
    }

    private static long maskFor(long max) {
        long mask = max;
        mask |= mask >>> 1;
        mask |= mask >>> 2;
        mask |= mask >>> 4;
        mask |= mask >>> 8;
        mask |= mask >>> 16;
        mask |= mask >>> 32;
        return mask;
    }

    /** numpy's legacy {@code random_interval(max)}: an integer in [0, max] by masked rejection. */
    private long randomInterval(long max) {
        if (max == 0) {
            return 0;
        }
        long mask = maskFor(max);
        long value;
        if (max <= 0xffffffffL) {
            do {
                value = nextUint32() & mask;
            } while (value > max);
        } else {
            do {
                value = nextUint64() & mask;
            } while (Long.compareUnsigned(value, max) > 0);
        }
        return value;
    }

    /** Shuffles in place like {@code np.random.shuffle} on a 1-D array. */
    public void shuffle(int[] a) {
        for (int i = a.length - 1; i >= 1; i--) {
            int j = (int) randomInterval(i);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** Shuffles in place like {@code np.random.shuffle} on a 1-D float array. */
    public void shuffle(double[] a) {
        for (int i = a.length - 1; i >= 1; i--) {
            int j = (int) randomInterval(i);
            double t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** {@code np.random.permutation(n)}: 0..n-1 in shuffled order. */
    public int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        shuffle(p);
        return p;
    }

    /** {@code np.random.choice(n, size, replace)}: indices drawn from 0..n-1 without weights. */
    public int[] choice(int n, int size, boolean replace) {
        if (n <= 0) {
            throw new IllegalArgumentException("choice: population size must be positive, got " + n);
        }
        if (size < 0) {
            throw new IllegalArgumentException("choice: negative sample size " + size);
        }
        if (replace) {
            return randint(0, n, size);
        }
        if (size > n) {
            throw new IllegalArgumentException("choice: cannot take " + size + " samples from a population of " + n
                    + " without replacement; pass replace=true or a smaller size");
        }
        return java.util.Arrays.copyOf(permutation(n), size);
    }

    /**
     * {@code np.random.choice(n, size, replace=True, p=weights)}: draws by inverse CDF over the normalized cumulative
     * weights, one {@code random_sample} per draw, as numpy does.
     */
    public int[] choice(int n, int size, double[] p) {
        if (p.length != n) {
            throw new IllegalArgumentException("choice: " + p.length + " probabilities for a population of " + n);
        }
        double[] cdf = new double[n];
        double acc = 0;
        for (int i = 0; i < n; i++) {
            if (!(p[i] >= 0)) {
                throw new IllegalArgumentException("choice: probabilities must be non-negative, p[" + i + "]=" + p[i]);
            }
            acc += p[i];
            cdf[i] = acc;
        }
        if (Math.abs(acc - 1.0) > Math.sqrt(Math.ulp(1.0))) {
            throw new IllegalArgumentException("choice: probabilities sum to " + acc + ", not 1");
        }
        for (int i = 0; i < n; i++) {
            cdf[i] /= cdf[n - 1];
        }
        int[] out = new int[size];
        for (int s = 0; s < size; s++) {
            double u = randomSample();
            int lo = 0;
            int hi = n; // searchsorted(side='right'): first index with cdf > u
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (cdf[mid] <= u) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            out[s] = lo;
        }
        return out;
    }
}
