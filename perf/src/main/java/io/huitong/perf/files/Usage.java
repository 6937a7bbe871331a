package io.huitong.perf.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the machine did between two samples, from /proc: CPU of the server under test (all its processes and
 * threads), of this client, and of the whole machine (busy and waiting for I/O); and bytes written to the disks.
 */
record Usage(long serverTicks, long clientTicks, long machineBusy, long machineIowait, long diskSectors, long nanos) {
  static Usage sample(List<Long> serverPids) throws IOException {
    long server = 0;
    for (long pid : serverPids) {
      server += processTicks(Path.of("/proc", Long.toString(pid), "stat"));
    }
    String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
    long busy = Long.parseLong(cpu[1]) + Long.parseLong(cpu[2]) + Long.parseLong(cpu[3])
        + Long.parseLong(cpu[6]) + Long.parseLong(cpu[7]);
    long sectors = 0;
    for (String line : Files.readAllLines(Path.of("/proc/diskstats"))) {
      String[] f = line.trim().split("\\s+");
      // Whole disks only (a partition's sectors are its disk's too); no loop or RAM devices.
      if (Files.isDirectory(Path.of("/sys/block", f[2])) && !f[2].matches("(loop|ram|zram).*")) {
        sectors += Long.parseLong(f[9]);
      }
    }
    return new Usage(server, processTicks(Path.of("/proc/self/stat")), busy, Long.parseLong(cpu[5]), sectors,
        System.nanoTime());
  }

  /** User and system clock ticks of a process, all its threads; 0 for one that has gone. */
  private static long processTicks(Path stat) throws IOException {
    if (!Files.exists(stat)) {
      return 0;
    }
    String text = Files.readString(stat);
    String[] f = text.substring(text.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  /** The difference from {@code before} to this sample. */
  Usage since(Usage before) {
    return new Usage(serverTicks - before.serverTicks, clientTicks - before.clientTicks,
        machineBusy - before.machineBusy, machineIowait - before.machineIowait, diskSectors - before.diskSectors,
        nanos - before.nanos);
  }
}
