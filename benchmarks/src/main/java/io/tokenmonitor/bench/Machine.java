package io.tokenmonitor.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The machine a figure was measured on: cores, CPU model, memory, load average, Java version and time, read
 * from {@code /proc} on Linux ("unknown" elsewhere).
 */
public final class Machine {

    private Machine() {
    }

    /** Returns the description printed above and stored with every result. */
    public static Map<String, Object> describe() {
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("cpu", procField("/proc/cpuinfo", "model name"));
        machine.put("memory", procField("/proc/meminfo", "MemTotal"));
        machine.put("loadAverage", loadAverage());
        machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        machine.put("maxHeapMb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        machine.put("date", Instant.now().toString());
        return machine;
    }

    /** Returns this process's resident memory in bytes (VmRSS), or -1 when {@code /proc} cannot tell. */
    public static long residentBytes() {
        return residentBytes(Path.of("/proc/self/status"));
    }

    /** Returns the resident memory of process {@code pid} in bytes, or -1 when {@code /proc} cannot tell. */
    public static long residentBytes(long pid) {
        return residentBytes(Path.of("/proc", Long.toString(pid), "status"));
    }

    private static long residentBytes(Path status) {
        String value = procField(status.toString(), "VmRSS");
        if (!value.endsWith(" kB")) {
            return -1;
        }
        return Long.parseLong(value.substring(0, value.length() - 3).trim()) * 1024;
    }

    /** Returns the 1-minute load average, or "unknown". */
    public static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String procField(String file, String name) {
        try {
            List<String> lines = Files.readAllLines(Path.of(file));
            for (String line : lines) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equals(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
        } catch (IOException e) {
            return "unknown";
        }
        return "unknown";
    }
}
