import java.util.function.LongSupplier;
import nnlab.math.MatMul;
import nnlab.math.Matrix;
import nnlab.math.NumpyRandom;

/** Eight 1024³ products on one thread into a reused result; the result is the sum of one element's bits. */
public final class Gemm implements LongSupplier {
    private final Matrix a;
    private final Matrix b;
    private final Matrix c = new Matrix(1024, 1024);

    public Gemm() {
        NumpyRandom rng = new NumpyRandom(0);
        a = rng.randn(1024, 1024);
        b = rng.randn(1024, 1024);
    }

    @Override
    public long getAsLong() {
        MatMul.setThreads(1); // both builds share the JVM but not the class: set it in this build
        long sum = 0;
        for (int i = 0; i < 8; i++) {
            MatMul.multiplyInto(a, false, b, false, c);
            sum += Double.doubleToLongBits(c.get(5, 7));
        }
        return sum;
    }
}
