import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Startup-to-first-result time of the installed notebook kernel (bench/kernel_startup.py in .venv's Python, which has
 * jupyter_client): the kernel as installed, beside the same kernel without its class-data-sharing archive.
 */
final class KernelStartup {
    private KernelStartup() {
    }

    static void run(boolean quick, int reps) {
        System.out.println("\nkernel startup: from starting the java kernel to the first cell's result (Matrix.of(...))");
        Path python = Path.of(".venv", "bin", "python");
        Path spec = Path.of(".venv", "share", "jupyter", "kernels", "java", "kernel.json");
        if (!Files.isExecutable(python) || !Files.exists(spec)) {
            String message = "workload kernel-startup skipped: no .venv with the java kernel here; run ./nnlab setup first";
            System.out.println("  " + message);
            Harness.SKIPPED.add(message);
            return;
        }
        List<String> cmd = new ArrayList<>(List.of(python.toString(), "bench/kernel_startup.py", String.valueOf(reps)));
        if (!quick) {
            cmd.add("--variants");
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("JUPYTER_PATH", Path.of(".venv", "share", "jupyter").toAbsolutePath().toString());
        List<Map<String, Object>> lines = new ArrayList<>();
        StringBuilder other = new StringBuilder();
        try {
            Process p = pb.start();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    if (line.startsWith("{")) {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> m = (Map<String, Object>) Harness.Json.parse(line);
                        lines.add(m);
                    } else {
                        other.append(line).append('\n');
                    }
                }
            }
            if (p.waitFor() != 0 || lines.isEmpty()) {
                String message = "workload kernel-startup failed: " + other.toString().trim();
                System.out.println("  " + message);
                Harness.SKIPPED.add(message);
                return;
            }
        } catch (Exception e) {
            System.out.println("  workload kernel-startup failed: " + e);
            Harness.SKIPPED.add("workload kernel-startup failed: " + e);
            return;
        }
        Map<String, Object> installed = lines.get(0);
        boolean cds = Boolean.TRUE.equals(installed.get("cds"));
        Harness.Row row = new Harness.Row("kernel-startup", cds ? "first result, CDS archive" : "first result, no CDS archive",
                1, "s to the first result", Harness.timing(installed));
        row.extra.put("first_result", installed.get("first_result"));
        row.extra.put("cds", cds);
        row.extra.put("failed_starts", installed.get("failed_starts"));
        if (lines.size() > 1) {
            row.reference(lines.get(1));
        } else {
            row.skipped = cds ? "the variant without the archive is timed in full mode only"
                    : "the installed kernel has no CDS archive (./nnlab setup creates it)";
        }
        Harness.add(row);
    }
}
