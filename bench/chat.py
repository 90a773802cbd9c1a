"""Chat under load: demo students in one course room over real WebSockets, each sending a message every
--pace milliseconds; every message is timed from its send to its arrival at every other client (fan-out), and
the run checks that each client got every message exactly once, in order. The floor, measured the same way in
the same run: the WebSocket server's ping consumer (one round trip, no database).

    make run                        # in one terminal
    .venv/bin/python bench/chat.py --url http://127.0.0.1:8000 --ws ws://127.0.0.1:8001

Needs the demo university (demo students u0035... in demo-student's group share its courses).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import statistics
import sys
import time
import uuid

from common import log_in
from websockets.asyncio.client import connect


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


async def ping_floor(ws: str, cookie: str, origin: str, rounds: int) -> list[float]:
    times = []
    async with connect(f"{ws}/ws/ping/", additional_headers={"Cookie": cookie, "Origin": origin}) as socket:
        for n in range(rounds):
            started = time.perf_counter()
            await socket.send(json.dumps({"ping": n}))
            assert json.loads(await socket.recv()) == {"pong": n}
            times.append((time.perf_counter() - started) * 1000)
    return times


async def chat_run(ws: str, room: int, cookies: list[str], origin: str, per_client: int, pace: float):
    sent_at: dict[str, float] = {}
    latencies: list[float] = []
    received: list[list[int]] = [[] for _ in cookies]
    expected = per_client * len(cookies)
    sockets = [
        await connect(f"{ws}/ws/chat/{room}/?after=999999999", additional_headers={"Cookie": c, "Origin": origin})
        for c in cookies
    ]
    # Start after the room's current last message: read each client's "synced" first.
    for socket in sockets:
        while json.loads(await socket.recv())["type"] != "synced":
            pass
    start_seq = None

    async def reader(index, socket):
        nonlocal start_seq
        while len(received[index]) < expected:
            event = json.loads(await asyncio.wait_for(socket.recv(), timeout=30))
            if event["type"] != "message":
                continue
            message = event["message"]
            received[index].append(message["seq"])
            client_id = message["client_id"]
            if client_id in sent_at:
                latencies.append((time.perf_counter() - sent_at[client_id]) * 1000)

    async def writer(socket):
        await asyncio.sleep(random.uniform(0, pace))  # clients are not in step with each other
        for _n in range(per_client):
            client_id = str(uuid.uuid4())
            sent_at[client_id] = time.perf_counter()
            await socket.send(json.dumps({"type": "send", "client_id": client_id, "body": "бенчмарк"}))
            await asyncio.sleep(pace)

    started = time.perf_counter()
    await asyncio.gather(*(reader(i, s) for i, s in enumerate(sockets)), *(writer(s) for s in sockets))
    elapsed = time.perf_counter() - started
    for socket in sockets:
        await socket.close()
    exact = all(r == sorted(r) and len(set(r)) == len(r) == expected for r in received)
    consecutive = all(r == list(range(r[0], r[0] + expected)) for r in received if r)
    return latencies, elapsed, exact and consecutive, start_seq


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--ws", default="ws://127.0.0.1:8001")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--messages", type=int, default=20, help="messages each client sends")
    parser.add_argument("--pace", type=int, default=250, help="milliseconds between a client's messages")
    args = parser.parse_args()
    base = args.url.rstrip("/")
    origin = base

    demo = log_in(base, "demo-student")
    if demo is None:
        print("demo-student cannot log in: is the demo university loaded (make run)?", file=sys.stderr)
        return 1
    home = demo.get("/").text
    course = re.findall(r'href="/courses/(\d+)/"', home)[0]
    room = int(re.search(r"/chat/(\d+)/", demo.get(f"/courses/{course}/chat/").headers["Location"]).group(1))
    classmates = [c for c in (log_in(base, f"u{n:04d}") for n in range(35, 35 + args.clients * 4)) if c]
    cookies = []
    for client in [demo, *classmates]:
        if client.get(f"/chat/{room}/").status_code == 200:
            cookies.append(f"sessionid={client.cookies['sessionid']}")
        if len(cookies) == args.clients:
            break
    print(f"{len(cookies)} clients in chat room {room}; each sends {args.messages} messages, one per {args.pace} ms.\n")

    floor = asyncio.run(ping_floor(args.ws, cookies[0], origin, 200))
    latencies, elapsed, exact, _start = asyncio.run(
        chat_run(args.ws, room, cookies, origin, args.messages, args.pace / 1000)
    )
    total = args.messages * len(cookies)
    header = f"{'scenario':<34} {'msgs/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
    print(header)
    print("-" * len(header))
    print(
        f"{'ping round trip (floor)':<34} {'':>8} {statistics.median(floor):>8.1f} "
        f"{percentile(floor, 0.95):>8.1f} {percentile(floor, 0.99):>8.1f}"
    )
    print(
        f"{'chat: send -> every client':<34} {total / elapsed:>8.1f} {statistics.median(latencies):>8.1f} "
        f"{percentile(latencies, 0.95):>8.1f} {percentile(latencies, 0.99):>8.1f}"
    )
    print(f"\n{total} messages, {len(latencies)} deliveries timed; each client got each once, in order: {exact}")
    return 0 if exact else 1


if __name__ == "__main__":
    sys.exit(main())
