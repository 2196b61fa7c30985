"""WSGI (gunicorn, sync workers) against ASGI (uvicorn) under a growing number of clients.

Starts each server on loopback, sends requests from 1, 2, 4 ... concurrent clients for a fixed
time per step, and writes the raw numbers (results.csv, beside this file) and a plot of the
median and the 95th percentile response time against clients (the site's
docs/explanation/img/wsgi-asgi.svg).

Bounded: loopback only, at most --max-clients clients, --seconds per step, a request timeout,
and every server stopped at the end. Run: `.venv/bin/python benchmarks/wsgi_asgi/run.py`.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"


@dataclass(frozen=True)
class Server:
    name: str
    path: str
    port: int
    command: list[str]


def servers(port: int, workers: int) -> list[Server]:
    return [
        Server(
            f"gunicorn, {workers} sync workers (WSGI)",
            "/sync/",
            port,
            [
                str(BIN / "gunicorn"),
                "app:wsgi",
                "--workers",
                str(workers),
                "--worker-class",
                "sync",
                "--bind",
                f"{HOST}:{port}",
                "--log-level",
                "warning",
                "--backlog",
                "2048",
            ],
        ),
        Server(
            "uvicorn, 1 worker (ASGI)",
            "/async/",
            port,
            [
                str(BIN / "uvicorn"),
                "app:asgi",
                "--host",
                HOST,
                "--port",
                str(port),
                "--workers",
                "1",
                "--log-level",
                "warning",
                "--no-access-log",
                "--backlog",
                "2048",
            ],
        ),
    ]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def wait_for(port: int, process: subprocess.Popen[bytes], timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with code {process.returncode}")
        with socket.socket() as sock:
            if sock.connect_ex((HOST, port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"the server did not listen on {HOST}:{port} within {timeout} s")


async def one_request(port: int, path: str, timeout: float) -> float:
    """One HTTP/1.1 request on a fresh connection; the seconds it took, or raises."""
    start = time.perf_counter()
    reader, writer = await asyncio.wait_for(asyncio.open_connection(HOST, port), timeout)
    try:
        writer.write(f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n\r\n".encode())
        await writer.drain()
        response = await asyncio.wait_for(reader.read(), timeout)
    finally:
        writer.close()
    if not response.startswith(b"HTTP/1.1 200"):
        raise RuntimeError(response[:60].decode("latin-1"))
    return time.perf_counter() - start


async def load(
    port: int, path: str, clients: int, seconds: float, timeout: float
) -> tuple[list[float], int]:
    """``clients`` clients each sending one request after another for ``seconds``."""
    latencies: list[float] = []
    errors = 0
    stop = time.monotonic() + seconds

    async def client() -> None:
        nonlocal errors
        while time.monotonic() < stop:
            try:
                latencies.append(await one_request(port, path, timeout))
            except (TimeoutError, OSError, RuntimeError):
                errors += 1

    await asyncio.gather(*(client() for _ in range(clients)))
    return latencies, errors


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def measure(args: argparse.Namespace) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    steps = [c for c in (1, 2, 4, 8, 16, 32, 64, 128, 256) if c <= args.max_clients]
    for server in servers(free_port(), args.workers):
        port = server.port
        env = {**os.environ, "IO_SECONDS": str(args.io_ms / 1000)}
        process = subprocess.Popen(server.command, cwd=HERE, env=env)
        try:
            wait_for(port, process)
            asyncio.run(load(port, server.path, 2, 1.0, args.timeout))  # warm-up
            for clients in steps:
                latencies, errors = asyncio.run(
                    load(port, server.path, clients, args.seconds, args.timeout)
                )
                row = {
                    "server": server.name,
                    "clients": clients,
                    "requests": len(latencies),
                    "errors": errors,
                    "median_ms": round(statistics.median(latencies) * 1000, 1) if latencies else "",
                    "p95_ms": round(percentile(latencies, 0.95) * 1000, 1) if latencies else "",
                    "requests_per_s": round(len(latencies) / args.seconds, 1),
                }
                rows.append(row)
                print(", ".join(f"{k}={v}" for k, v in row.items()), flush=True)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
    return rows


def plot(rows: list[dict[str, object]], args: argparse.Namespace, target: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams["svg.hashsalt"] = "djangocon-notes"  # stable ids: the SVG diffs cleanly
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(1, 2, figsize=(10, 4.2), sharey=True)
    for axis, column, label in (
        (axes[0], "median_ms", "median"),
        (axes[1], "p95_ms", "95th percentile"),
    ):
        for name in dict.fromkeys(str(r["server"]) for r in rows):
            points = [
                (int(str(r["clients"])), float(str(r[column])))
                for r in rows
                if r["server"] == name and r[column] != ""
            ]
            axis.plot(*zip(*points, strict=True), marker="o", label=name)
        axis.set_xscale("log", base=2)
        clients = sorted({int(str(r["clients"])) for r in rows})
        axis.set_xticks(clients, [str(c) for c in clients])
        axis.set_yscale("log")
        axis.set_xlabel("concurrent clients")
        axis.set_title(f"{label} response time")
        axis.grid(True, which="both", alpha=0.3)
    axes[0].set_ylabel("milliseconds (log scale)")
    axes[0].legend(loc="upper left", fontsize="small")
    figure.suptitle(
        f"A Django view waiting {args.io_ms:g} ms on I/O, {args.seconds:g} s per step, "
        f"on {os.cpu_count()} cores (Python {platform.python_version()})",
        fontsize="medium",
    )
    figure.tight_layout()
    figure.savefig(target, format="svg", metadata={"Date": None})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--workers",
        type=int,
        default=2 * (os.cpu_count() or 1) + 1,
        help="gunicorn sync workers (default: 2 x cores + 1, gunicorn's advice)",
    )
    parser.add_argument("--io-ms", type=float, default=50, help="simulated I/O per request")
    parser.add_argument("--seconds", type=float, default=4, help="load time per step")
    parser.add_argument("--max-clients", type=int, default=128)
    parser.add_argument("--timeout", type=float, default=30, help="per request")
    parser.add_argument(
        "--out",
        type=Path,
        help="write both files here (default: results.csv "
        "beside this script, the plot into docs/explanation/img/)",
    )
    args = parser.parse_args()
    rows = measure(args)
    csv_dir = args.out or HERE
    svg_dir = args.out or HERE.parent.parent / "docs" / "explanation" / "img"
    svg_dir.mkdir(parents=True, exist_ok=True)
    with (csv_dir / "results.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    plot(rows, args, svg_dir / "wsgi-asgi.svg")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
