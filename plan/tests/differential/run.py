#!/usr/bin/env python3
"""Differential test: random multi-row CSV files planned by the `cutover-plan` CLI and by the
independent model in model.py; every difference is printed. Exit 0 when there is none.

    python3 plan/tests/differential/run.py [--cases 1000] [--seed 1] [--bin PATH] [--keep DIR]

Without --bin it builds the CLI with cargo first. Standard library only; no network. If the
`holidays` package from PyPI is installed, the model's Japanese holidays are also checked
against it (otherwise that check is skipped with a message).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import os
import random
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, str(Path(__file__).resolve().parent))
import model  # noqa: E402

ROOT = Path(__file__).resolve().parents[3]
HEADER = ["customer", "domain", "offer", "seats", "end_date", "channel", "auto_renew",
          "monthly_price", "currency", "target_offer", "relationship", "path"]
OFFERS = ["Office 365 E3", "Microsoft 365 Business Standard", "Exchange Online (Plan 1)",
          "Microsoft 365 E5"]
PATHS = ["overlap", "grace", "ea_transfer", "csp_transfer"]


def rand_date(rng: random.Random, start: dt.date, span: int) -> dt.date:
    return start + dt.timedelta(days=rng.randrange(span))


def random_case(rng: random.Random):
    """One file: rows as written to CSV, the model's rows, today, settings and CLI flags."""
    today = rand_date(rng, dt.date(2025, 1, 1), 1500)
    s = model.Settings()
    flags = ["--today", today.isoformat()]
    if rng.random() < 0.7:
        s.japan = True
        flags += ["--holidays", "jp"]
    for _ in range(rng.choice([0, 0, 1, 3, 8])):
        h = rand_date(rng, today - dt.timedelta(days=60), 500)
        s.custom.append(h)
        flags += ["--holiday", h.isoformat()]
    if rng.random() < 0.3:
        s.provision_lead = rng.choice([0, 1, 3, 14, 30, 45])
        flags += ["--provision-lead-days", str(s.provision_lead)]
    if rng.random() < 0.3:
        s.invite_lead = rng.choice([0, 2, 10, 21])
        flags += ["--invite-lead-days", str(s.invite_lead)]
    if rng.random() < 0.3:
        s.auto_renew_notice = rng.choice([0, 1, 5, 10])
        flags += ["--auto-renew-notice-days", str(s.auto_renew_notice)]
    if rng.random() < 0.15:
        s.grace_override = rng.choice([0, 1, 10, 45])
        flags += ["--grace-days", str(s.grace_override)]
    if rng.random() < 0.15:
        s.disabled_override = rng.choice([0, 5, 30])
        flags += ["--disabled-days", str(s.disabled_override)]

    n_customers = rng.randint(1, 6)
    # Now and then one customer with enough rows to reach the tenant limit.
    big = rng.random() < 0.08
    n_rows = rng.randint(150, 190) if big else rng.randint(1, 25)
    lines, rows = [], []
    for i in range(n_rows):
        c = 0 if big and rng.random() < 0.95 else rng.randrange(n_customers)
        name = rng.choice([f"Customer {c}", f" Customer {c} ", f"顧客 {c}"])
        domain = rng.choice([f"c{c}.example", f"C{c}.Example", f" c{c}.example "])
        offer = rng.choice(OFFERS)
        seats = rng.randint(0, 3000)
        # End dates around today: long expired to far ahead.
        end = today + dt.timedelta(days=rng.randint(-260, 420))
        if big:
            end = today + dt.timedelta(days=rng.randint(-10, 300))
        channel = rng.choice(["direct", "partner", "open", "ea"])
        auto = rng.random() < 0.4
        price = None
        if rng.random() < 0.8:
            price = Fraction(rng.randint(0, 5_000_000), 10_000)
        target = rng.choice([None, None, "", offer.upper(), "  " + offer.replace(" ", "  "),
                             "Microsoft 365 E3"])
        rel = rng.choice(["none", "invited", "accepted"])
        path = rng.choice(PATHS + ["overlap", "", ""] if not big else ["overlap"] * 40 + PATHS)
        price_text = "" if price is None else f"{float(price):.4f}".rstrip("0").rstrip(".")
        if price is not None:
            price = Fraction(price_text) if price_text else Fraction(0)
        lines.append([name, domain, offer, str(seats), end.isoformat(), channel,
                      "true" if auto else "false", price_text,
                      "USD" if price is not None else "", target or "", rel, path])
        rows.append(model.Row(name, domain, offer, seats, end, channel, auto, price,
                              target, rel, path or "overlap"))
    return lines, rows, today, s, flags


def to_csv(lines) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(HEADER)
    w.writerows(lines)
    return buf.getvalue().encode("utf-8")


def check_holidays_against_pypi() -> None:
    try:
        import holidays  # type: ignore
    except ImportError:
        print("holiday cross-check skipped: the PyPI package `holidays` is not installed")
        return
    bad = []
    for year in range(2000, 2051):
        theirs = set(holidays.Japan(years=year).keys())
        ours = model.japanese_holidays(year)
        if theirs != ours:
            bad.append((year, sorted(theirs - ours), sorted(ours - theirs)))
    if bad:
        for year, only_theirs, only_ours in bad:
            print(f"holidays {year}: only in `holidays`: {only_theirs}; only in model: {only_ours}")
        sys.exit(1)
    print("holiday cross-check: model == PyPI `holidays` for 2000-2050")


def build() -> Path:
    subprocess.run(["cargo", "build", "--quiet", "-p", "cutover-plan", "--bin", "cutover-plan"],
                   cwd=ROOT, check=True)
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    return target / "debug" / "cutover-plan"


def diff(a, b, where="") -> list[str]:
    if type(a) is not type(b):
        return [f"{where}: cli {a!r} != model {b!r}"]
    if isinstance(a, dict):
        out = []
        if list(a) != list(b):
            out.append(f"{where}: keys cli {list(a)} != model {list(b)}")
        for k in a:
            if k in b:
                out += diff(a[k], b[k], f"{where}.{k}")
        return out
    if isinstance(a, list):
        if len(a) != len(b):
            return [f"{where}: {len(a)} items in cli, {len(b)} in model"]
        out = []
        for i, (x, y) in enumerate(zip(a, b)):
            out += diff(x, y, f"{where}[{i}]")
        return out
    return [] if a == b else [f"{where}: cli {a!r} != model {b!r}"]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--bin", type=Path)
    ap.add_argument("--keep", type=Path, help="write differing inputs here")
    args = ap.parse_args()

    check_holidays_against_pypi()
    binary = args.bin or build()
    rng = random.Random(args.seed)
    differing = rows_total = 0
    seen: dict[str, int] = {}
    for case in range(args.cases):
        lines, rows, today, s, flags = random_case(rng)
        rows_total += len(rows)
        data = to_csv(lines)
        out = subprocess.run([str(binary), "plan", *flags, "-"], input=data, capture_output=True)
        expected = model.plan(rows, today, s)
        # Byte-exact: the model's JSON printed the way the CLI prints it.
        expected_text = json.dumps(expected, indent=1, ensure_ascii=False) + "\n"
        for sub in expected["subscriptions"]:
            for key in [sub["path"], *sub["warnings"]]:
                seen[key] = seen.get(key, 0) + 1
        for c in expected["customers"]:
            if c["next_action"]:
                key = "next_action " + c["next_action"]["kind"]
                seen[key] = seen.get(key, 0) + 1
        if out.returncode != 0:
            problems = [f"exit {out.returncode}: {out.stderr.decode(errors='replace')}"]
        elif out.stdout.decode() == expected_text:
            problems = []
        else:
            problems = diff(json.loads(out.stdout), expected) or ["same values, different bytes"]
        if problems:
            differing += 1
            print(f"case {case} ({' '.join(flags)}): {len(problems)} difference(s)")
            for p in problems[:10]:
                print("   ", p)
            if args.keep:
                args.keep.mkdir(parents=True, exist_ok=True)
                (args.keep / f"case{case}.csv").write_bytes(data)
    print("coverage (rows per planned path and warning; customers per next action):")
    print("   ", ", ".join(f"{k} {v}" for k, v in sorted(seen.items())))
    print(f"{args.cases} files, {rows_total} rows: {differing} file(s) with differences")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
