"""Whose CPU a benchmark window went to: the hub's password hashing, the rest of the hub, its PostgreSQL, the load
generator and everything else, in cores (1.0 = one core busy for the whole window). perf/identity.sh uses it to show
what the login bursts' hashing competes with on the same cores.

  cpu_shares.py sample HUB_PID PG_DATA_DIR OUT   every 0.5 s until killed, one JSON line of cumulative CPU ticks
                                                 per group to OUT (the hub's threads named identity-kdf-* are the
                                                 hashing; PostgreSQL is the postmaster whose command line names
                                                 PG_DATA_DIR and its children; the load generator is every process
                                                 whose command line names Gatling, its Maven included)
  cpu_shares.py window OUT FROM_MS TO_MS         the cores each group used between the first and last samples inside
                                                 [FROM_MS, TO_MS] (epoch milliseconds), as one line, with the
                                                 hub's four busiest kinds of thread besides the hashing
  cpu_shares.py cost OUT HUB_RUN OTHER_RUN       CPU ms per successful request in two runs' windows (their Outcomes
                                                 JSON): the hub and its PostgreSQL in the first, everything but the
                                                 hub, its PostgreSQL and Gatling in the second (another provider,
                                                 with the machine's background), and the second over the first
"""
import json, os, re, sys, time

TICK = os.sysconf("SC_CLK_TCK")
GROUPS = ("hashing", "hub", "postgres", "gatling")


def ticks(stat_path):
    """utime + stime of a /proc stat file; 0 when the process or thread has gone."""
    try:
        with open(stat_path) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except (OSError, IndexError):
        return 0


def read(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError:
        return b""


def processes():
    """pid -> (ppid, command line) of every process."""
    found = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            stat = read("/proc/%s/stat" % name)
            if stat:
                found[int(name)] = (int(stat.rsplit(b")", 1)[1].split()[1]), read("/proc/%s/cmdline" % name))
    return found


def machine():
    """The machine's busy ticks (user, nice, system, irq, softirq) and those the hypervisor took (steal)."""
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    return sum(values[i] for i in (0, 1, 2, 5, 6)), values[7]


def sample(hub_pid, data_dir, out):
    data = data_dir.encode()
    with open(out, "a") as sink:
        while True:
            procs = processes()
            postmasters = {p for p, (_, cmd) in procs.items() if b"postgres" in cmd and data in cmd}
            row = dict.fromkeys(GROUPS, 0)
            threads = row["hubThreads"] = {}
            for tid in os.listdir("/proc/%d/task" % hub_pid) if hub_pid in procs else ():
                comm = read("/proc/%d/task/%s/comm" % (hub_pid, tid)).decode(errors="replace").strip()
                used = ticks("/proc/%d/task/%s/stat" % (hub_pid, tid))
                row["hashing" if comm.startswith("identity-kdf-") else "hub"] += used
                kind = re.sub(r"[-#]?\d+$", "", comm)  # threads of one pool together
                threads[kind] = threads.get(kind, 0) + used
            for pid, (ppid, cmd) in procs.items():
                if pid in postmasters or ppid in postmasters:
                    row["postgres"] += ticks("/proc/%d/stat" % pid)
                elif b"gatling" in cmd:
                    row["gatling"] += ticks("/proc/%d/stat" % pid)
            row["machine"], row["steal"] = machine()
            row["t"] = int(time.time() * 1000)
            sink.write(json.dumps(row) + "\n")
            sink.flush()
            time.sleep(0.5)


def cores(out, start, end):
    """Cores per group, the machine's total and steal, the hub's threads by kind, and the seconds between the first
    and last samples inside [start, end]; None with fewer than two samples there."""
    with open(out) as f:
        inside = [r for r in map(json.loads, f) if start <= r["t"] <= end]
    if len(inside) < 2:
        return None
    first, last = inside[0], inside[-1]
    seconds = (last["t"] - first["t"]) / 1000.0
    used = {g: (last[g] - first[g]) / TICK / seconds for g in GROUPS + ("machine", "steal")}
    # A process that ended inside the window takes its ticks with it: the machine's count has them.
    used["other"] = max(0.0, used["machine"] - sum(used[g] for g in GROUPS))
    threads = {k: (v - first["hubThreads"].get(k, 0)) / TICK / seconds for k, v in last["hubThreads"].items()}
    return used, threads, seconds


def window(out, start, end):
    measured = cores(out, start, end)
    if measured is None:
        return "no CPU samples inside the window"
    used, threads, seconds = measured
    busiest = sorted((k for k in threads if not k.startswith("identity-kdf")), key=threads.get, reverse=True)[:4]
    busy = ", ".join("%s %.2f" % (k, threads[k]) for k in busiest)
    return ("hashing %.2f, the hub's other threads %.2f (%s), its PostgreSQL %.2f, Gatling %.2f, the rest %.2f:"
            " %.2f of %d cores busy and %.2f taken by the hypervisor, over %.1f s"
            % (used["hashing"], used["hub"], busy, used["postgres"], used["gatling"], used["other"],
               used["machine"], os.cpu_count(), used["steal"], seconds))


def cost(out, hub_summary, other_summary):
    """CPU milliseconds per successful request in two runs of Outcomes: the hub's (its process and its PostgreSQL),
    another provider's (everything else on the machine but Gatling, so the machine's background too), and the
    other's over the hub's."""
    per_request = []
    for summary, parts in ((hub_summary, ("hashing", "hub", "postgres")), (other_summary, ("other",))):
        with open(summary) as f:
            run = json.load(f)
        measured = cores(out, run["firstMs"], run["lastMs"])
        ok = run["byStatus"].get("200", {}).get("count", 0)
        if measured is None or ok == 0:
            return "-"
        per_request.append(sum(measured[0][g] for g in parts) * run["windowSeconds"] * 1000.0 / ok)
    return "%.2f / %.2f ms = %.1f" % (per_request[0], per_request[1], per_request[1] / per_request[0])


if __name__ == "__main__":
    if sys.argv[1:2] == ["sample"] and len(sys.argv) == 5:
        sample(int(sys.argv[2]), sys.argv[3], sys.argv[4])
    elif sys.argv[1:2] == ["window"] and len(sys.argv) == 5:
        print(window(sys.argv[2], int(sys.argv[3]), int(sys.argv[4])))
    elif sys.argv[1:2] == ["cost"] and len(sys.argv) == 5:
        print(cost(sys.argv[2], sys.argv[3], sys.argv[4]))
    else:
        sys.exit(__doc__)
