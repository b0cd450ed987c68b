package nnlab.math;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Independent tasks spread over the cores that large matrix products use ({@link MatMul#threads()}), e.g. one task per
 * group of images of a batch in a convolution. A task gets its index and the index of the lane (0 ..
 * {@link #lanes}-1) that runs it, so that it can use scratch buffers of its own lane; matrix products called inside a
 * task run on that task's thread. Which lane runs which task varies from run to run: results stay independent of
 * the thread count as long as each task writes only outputs of its own (and lane scratch it overwrites first).
 */
public final class Parallel {
    private static final ThreadLocal<Boolean> INSIDE = ThreadLocal.withInitial(() -> false);

    /** A task: index in [0, tasks) and the lane running it. */
    @FunctionalInterface
    public interface Task {
        void run(int task, int lane);
    }

    private Parallel() {
    }

    /** How many lanes {@link #forEach} uses for this many tasks: at most the thread count, at most the tasks. */
    public static int lanes(int tasks) {
        return Math.max(1, Math.min(MatMul.threads(), tasks));
    }

    static boolean insideTask() {
        return INSIDE.get();
    }

    /** Runs {@code body.run(task, lane)} for every task in [0, tasks); returns when all are done. */
    public static void forEach(int tasks, Task body) {
        int lanes = lanes(tasks);
        if (lanes == 1 || insideTask()) {
            runLane(tasks, body, new AtomicInteger(), 0);
            return;
        }
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> futures = new ArrayList<>();
        for (int lane = 1; lane < lanes; lane++) {
            int l = lane;
            futures.add(MatMul.pool().submit(() -> runLane(tasks, body, next, l)));
        }
        runLane(tasks, body, next, 0); // the calling thread works too
        try {
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("parallel tasks interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("parallel task failed: " + cause, cause);
        }
    }

    private static void runLane(int tasks, Task body, AtomicInteger next, int lane) {
        boolean was = INSIDE.get();
        INSIDE.set(true);
        try {
            for (int t = next.getAndIncrement(); t < tasks; t = next.getAndIncrement()) {
                body.run(t, lane);
            }
        } finally {
            INSIDE.set(was);
        }
    }
}
