"""What the benchmark's counter snapshots say (run.sh's cpu_snapshot: "name=count" pairs on one line, cumulative).

A row is "key;requests per second;BEFORE|AFTER|WRK_TICKS": the snapshots taken around its load and wrk's CPU ticks.

  python3 bench/cpu.py jit-share BEFORE AFTER     JIT compilation's share of the services' CPU between two snapshots
  python3 bench/cpu.py ms ROW DURATION TICK_MS    the services' and PostgreSQL's CPU ms per request in a row
  python3 bench/cpu.py tables DURATION TICK_MS    the CPU and PostgreSQL tables, from rows on standard input
"""
import sys

SERVICES = ("routing-service", "routing-service-2", "review-service", "audit-service")
DATABASES = ("routing", "review", "audit")
LABELS = {"get128": "trivial GET, 128", "noop32": "no-op, 32", "route32": "/v1/route, relays paused, 32",
          "noop128": "no-op, 128", "route128": "/v1/route, relays paused, 128",
          "noopPaced": "no-op, 128, 50 ms apart", "routePaced": "/v1/route, relays paused, 128, 50 ms apart",
          "route_toolcall": "/v1/route, relays paused, 128, a tool call",
          "route_trajectory": "/v1/route, relays paused, 128, a 50-step trajectory",
          "route_shadow": "/v1/route, relays paused, 128, one shadow output",
          "route_signals": "/v1/route, relays paused, 128, three signals",
          "system128": "/v1/route, whole system", "system2x": "/v1/route, whole system, two routers"}


def parse(snapshot):
    return {k: int(v) for k, v in (p.split("=") for p in snapshot.split())}


def grew(before, after, *names):
    """How much the named counters grew between two parsed snapshots (a counter a snapshot lacks counts as 0)."""
    return sum(after.get(n, 0) - before.get(n, 0) for n in names)


class Row:
    """One measured row: how much each counter grew, and per request."""

    def __init__(self, line, duration, tick_ms):
        self.key, rps, rest = line.split(";", 2)
        before, after, wrk = rest.split("|")
        self.before, self.after = parse(before), parse(after)
        self.requests = float(rps) * duration
        self.tick_ms = tick_ms
        self.wrk_ms = int(wrk) * tick_ms / self.requests

    def grew(self, *names):
        return grew(self.before, self.after, *names)

    def ms(self, *names):
        """CPU milliseconds per request of the named processes (counters in clock ticks)."""
        return self.grew(*names) * self.tick_ms / self.requests

    def total_ms(self):
        return self.ms(*SERVICES, "postgres")


def jit_share(before, after):
    b, a = parse(before), parse(after)
    return grew(b, a, "jit") / max(grew(b, a, *SERVICES), 1)


def tables(rows):
    print("| row | router | review | audit | PostgreSQL | wrk | total without wrk | of it, JIT compilation |")
    print("|---|---|---|---|---|---|---|---|")
    totals = {}
    for r in rows:
        router, review, audit = r.ms("routing-service", "routing-service-2"), r.ms("review-service"), r.ms("audit-service")
        pg, total, jit = r.ms("postgres"), r.total_ms(), r.ms("jit")
        totals[r.key] = total
        print(f"| {LABELS[r.key]} | {router:.3f} | {review:.3f} | {audit:.3f} | {pg:.3f} | {r.wrk_ms:.3f} |"
              f" **{total:.3f}** | {jit:.3f} ({jit / total:.0%}) |")
    if totals.get("route128") and totals.get("system128"):
        print()
        print(f"Whole system {totals['system128']:.3f} ms against the inline path's {totals['route128']:.3f} ms of CPU"
              f" per decision: {totals['system128'] / totals['route128']:.1f}x (target: at most 2.5x).")
    print()
    print("PostgreSQL's own work in each row, beside its statements (pg_stat_wal, pg_stat_checkpointer and the services'")
    print("databases' pg_stat_user_tables, read when the row's CPU was): WAL written per request, of it full-page images")
    print("(a page's first change after a checkpoint logs the whole page), checkpoints begun and the buffers checkpoints")
    print("wrote, autovacuum and autoanalyze runs finished. A row's PostgreSQL CPU holds these as well as its statements.")
    print()
    print("| row | WAL KiB per request | full-page images per request | checkpoints | checkpoint buffers written |"
          " autovacuum runs | autoanalyze runs |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {LABELS[r.key]} | {r.grew('wal_bytes') / 1024 / r.requests:.2f} | {r.grew('wal_fpi') / r.requests:.3f} |"
              f" {r.grew('checkpoints')} | {r.grew('checkpoint_buffers')} |"
              f" {r.grew(*(d + '.autovacuum' for d in DATABASES))} | {r.grew(*(d + '.autoanalyze' for d in DATABASES))} |")


def main(args):
    command = args[0] if args else ""
    if command == "jit-share" and len(args) == 3:
        print(f"{jit_share(args[1], args[2]):.3f}")
    elif command == "ms" and len(args) == 4:
        print(f"{Row(args[1], float(args[2]), float(args[3])).total_ms():.3f}")
    elif command == "tables" and len(args) == 3:
        duration, tick = float(args[1]), float(args[2])
        tables([Row(line, duration, tick) for line in sys.stdin.read().strip().splitlines()])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
