#!/usr/bin/env python3
"""Run the reference `pact verifier` against tests/interop/provider.py.

Usage: verify.py [--break WHAT] [--no-state-change] [--pact PATH] PACT...

Starts provider.py on a free 127.0.0.1 port, runs

    pact verifier --hostname 127.0.0.1 --port PORT \
        --state-change-url http://127.0.0.1:PORT/_pact/state \
        --provider-name treaty-interop-provider \
        --no-colour --json REPORT --file PACT ...   (--dir for a directory)

stops the provider and exits with the verifier's exit code (0: all
interactions verified; 1: a verification failure or a pact that failed to
load), or with 3 if the verifier's JSON report does not hold exactly one
result per interaction of the given pacts (the verifier exits 0 having verified
nothing when --dir finds no pact for the provider name, or when a pact has no
interactions). PACT may be a pact file or a directory of them. --break is
passed to provider.py to make the provider wrong on purpose (then the verifier
must fail). --strict also fails on pending interactions. The `pact` binary is taken from --pact, else $PACT_BIN, else next
to this Python (the venv of scripts/python-env.sh), else PATH.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROVIDER = "treaty-interop-provider"
NOTHING_VERIFIED = 3


def expected_interactions(paths: list[str], provider: str) -> int:
    """Interactions the verifier should report on, as --file/--dir select them."""
    total = 0
    for p in map(Path, paths):
        files = sorted(p.glob("*.json")) if p.is_dir() else [p]
        for f in files:
            try:
                doc = json.loads(f.read_text())
            except (OSError, ValueError):
                continue  # the verifier reports it as a load failure
            if p.is_dir() and (doc.get("provider") or {}).get("name") != provider:
                continue  # --dir only loads pacts for --provider-name
            total += len(doc.get("interactions") or []) + len(doc.get("messages") or [])
    return total


def find_pact(explicit: str | None) -> str:
    for cand in (explicit, os.environ.get("PACT_BIN")):
        if cand:
            return cand
    beside = Path(sys.executable).parent / "pact"
    if beside.is_file():
        return str(beside)
    found = shutil.which("pact")
    if not found:
        raise SystemExit("no `pact` binary: run scripts/python-env.sh or set PACT_BIN")
    return found


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    ap.add_argument("pacts", nargs="+", help="pact files or directories")
    ap.add_argument("--pact", help="path of the `pact` binary")
    ap.add_argument("--break", dest="brk", help="passed to provider.py --break")
    ap.add_argument(
        "--no-state-change",
        action="store_true",
        help="do not pass --state-change-url (the provider then lacks its data)",
    )
    ap.add_argument("--provider-log", help="file for the provider's request log")
    ap.add_argument("--provider-name", default=PROVIDER)
    ap.add_argument("--report", help="keep the verifier's JSON report here")
    ap.add_argument(
        "--strict",
        action="store_true",
        help="exit 1 if any interaction failed, pending ones included "
        "(the verifier itself exits 0 when only pending interactions fail)",
    )
    args = ap.parse_args(argv[1:])

    env = {**os.environ, "PACT_DO_NOT_TRACK": "true"}
    cmd = [sys.executable, str(HERE / "provider.py"), "0"]
    if args.brk:
        cmd += ["--break", args.brk]
    log = open(args.provider_log, "w") if args.provider_log else subprocess.DEVNULL  # noqa: SIM115
    if args.provider_log:
        cmd.append("--verbose")
    provider = subprocess.Popen(  # noqa: S603
        cmd, stdout=subprocess.PIPE, stderr=log, text=True, env=env
    )
    try:
        assert provider.stdout is not None
        line = provider.stdout.readline().strip()
        if not line.startswith("listening on "):
            raise SystemExit(f"provider.py did not start: {line!r}")
        host, port = line.removeprefix("listening on ").rsplit(":", 1)
        verifier = [find_pact(args.pact), "verifier", "--hostname", host, "--port", port]
        if not args.no_state_change:
            verifier += ["--state-change-url", f"http://{host}:{port}/_pact/state"]
        report = Path(args.report or f"{os.environ.get('TMPDIR', '/tmp')}/verify-{os.getpid()}.json")
        verifier += ["--provider-name", args.provider_name, "--no-colour", "--json", str(report)]
        for p in args.pacts:
            verifier += ["--dir" if Path(p).is_dir() else "--file", p]
        print("+", " ".join(verifier), flush=True)
        rc = subprocess.run(verifier, env=env, check=False).returncode  # noqa: S603
        try:
            results = json.loads(report.read_text()).get("interactionResults") or []
        except (OSError, ValueError):
            results = []
        finally:
            if not args.report:
                report.unlink(missing_ok=True)
        want = expected_interactions(args.pacts, args.provider_name)
        outcome: dict[str, int] = {}
        for r in results:
            outcome[str(r.get("result"))] = outcome.get(str(r.get("result")), 0) + 1
        print(f"verify.py: pact verifier exit {rc}; {len(results)} of {want} interactions "
              f"reported {outcome}", flush=True)
        if rc == 0 and (want == 0 or len(results) != want):
            print("verify.py: the verifier did not verify every interaction", file=sys.stderr)
            return NOTHING_VERIFIED
        if rc == 0 and args.strict and set(outcome) != {"OK"}:
            print("verify.py: --strict: an interaction (pending) failed", file=sys.stderr)
            return 1
        return rc
    finally:
        provider.terminate()
        try:
            provider.wait(timeout=5)
        except subprocess.TimeoutExpired:
            provider.kill()
            provider.wait()
        if args.provider_log:
            log.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
