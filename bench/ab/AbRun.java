import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A/B timing of two nnlab builds in one JVM: each jar gets its own class loader (with the workload class compiled
 * against it), and the two run call by call, alternating which goes first, so that both see the same machine. On a
 * shared machine whose speed drifts by 20 % from minute to minute, this decides differences of a few percent that
 * separate runs cannot. Prints each build's median and minimum over the last two thirds of the rounds, their ratio,
 * and whether both computed the same result bits.
 *
 * <p>Usage (see bench/ab): {@code AbRun OLD.jar NEW.jar WORK_CLASSES_DIR WORKLOAD ROUNDS}.
 */
public final class AbRun {
    private AbRun() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            throw new IllegalArgumentException("usage: AbRun OLD.jar NEW.jar WORK_CLASSES_DIR WORKLOAD ROUNDS");
        }
        String[] jars = {args[0], args[1]};
        String work = args[3];
        int rounds = Integer.parseInt(args[4]);
        LongSupplier[] builds = new LongSupplier[2];
        for (int i = 0; i < 2; i++) {
            URLClassLoader loader = new URLClassLoader(new URL[] {Path.of(args[2]).toUri().toURL(),
                Path.of(jars[i]).toUri().toURL()}, ClassLoader.getPlatformClassLoader());
            builds[i] = (LongSupplier) loader.loadClass(work).getDeclaredConstructor().newInstance();
        }
        double[][] ms = new double[2][rounds];
        long[] result = new long[2];
        for (int r = 0; r < rounds; r++) {
            for (int turn = 0; turn < 2; turn++) {
                int i = r % 2 == 0 ? turn : 1 - turn;
                long t0 = System.nanoTime();
                result[i] = builds[i].getAsLong();
                ms[i][r] = (System.nanoTime() - t0) / 1e6;
            }
        }
        double[] median = new double[2];
        for (int i = 0; i < 2; i++) {
            double[] kept = Arrays.copyOfRange(ms[i], rounds / 3, rounds); // the first third warms up the JIT
            Arrays.sort(kept);
            median[i] = kept[kept.length / 2];
            System.out.printf(Locale.ROOT, "%-3s %s: median %.1f ms, min %.1f ms%n", i == 0 ? "A" : "B", jars[i],
                    median[i], kept[0]);
        }
        System.out.printf(Locale.ROOT, "B/A median = %.3f; results %s%n", median[1] / median[0],
                result[0] == result[1] ? "identical" : "DIFFER (" + result[0] + " vs " + result[1] + ")");
    }
}
