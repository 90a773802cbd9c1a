"""`python -m ustaz run`: prepare the embedded installation and run the whole system.

It migrates, collects static files, loads the demo university (once) and then runs, until Ctrl-C:
- granian (WSGI) for pages, with one worker process per core, static files served by granian itself;
- granian (ASGI, Channels) for WebSockets on the next port (see docs/decisions/0002-servers.md);
- the django-tasks database worker.
`python -m ustaz serve` does the same without the preparation (for the scaled deployment's processes).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _settings():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ustaz.settings")
    import django

    django.setup()
    from django.conf import settings

    return settings


def prepare() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    call_command("load_demo")


def serve(*, web: bool = True, websockets: bool = True, worker: bool = True) -> int:
    settings = _settings()
    host = os.environ.get("USTAZ_HOST", "127.0.0.1")
    port = int(os.environ.get("USTAZ_PORT", "8000"))
    ws_port = int(os.environ.get("USTAZ_WS_PORT", str(port + 1)))
    workers = os.environ.get("USTAZ_WEB_WORKERS", str(os.cpu_count() or 2))
    threads = os.environ.get("USTAZ_WEB_THREADS", "2")
    python = sys.executable
    granian = [python, "-m", "granian", "--no-access-log", "--log-level", "warning"]
    commands = []
    if web:
        commands.append(
            granian
            + [
                "--interface",
                "wsgi",
                "--host",
                host,
                "--port",
                str(port),
                "--workers",
                workers,
                "--blocking-threads",
                threads,
                "--backlog",
                "2048",
                "--static-path-route",
                settings.STATIC_URL.rstrip("/"),
                "--static-path-mount",
                str(settings.STATIC_ROOT),
                "ustaz.wsgi:application",
            ]
        )
    if websockets:
        commands.append(
            granian
            + [
                "--interface",
                "asginl",
                "--host",
                host,
                "--port",
                str(ws_port),
                "--workers",
                "1",
                "ustaz.asgi:application",
            ]
        )
    if worker:
        commands.append([python, str(ROOT / "manage.py"), "db_worker"])
        commands.append([python, str(ROOT / "manage.py"), "clock"])
    children = [subprocess.Popen(cmd, cwd=ROOT) for cmd in commands]  # noqa: S603 - our own commands

    def stop(*_args):
        for child in children:
            if child.poll() is None:
                child.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if web:
        print(f"\nUstaz is running at http://{host}:{port}/  (WebSockets on port {ws_port})")
    print("Stop it with Ctrl-C.\n", flush=True)
    try:
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
    finally:
        stop()
        for child in children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
    return max((child.returncode or 0) for child in children)


def print_demo_logins() -> None:
    from django.utils import translation

    from ustaz.demo.management.commands.load_demo import DEMO_LOGINS, DEMO_PASSWORD

    print(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    with translation.override("en"):
        for login, role in DEMO_LOGINS.items():
            print(f"  {login:<16} {role.label}")


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "run"
    if command == "run":
        _settings()
        prepare()
        print_demo_logins()
        return serve()
    if command == "serve":
        return serve(web="--no-web" not in argv, websockets="--no-ws" not in argv, worker="--no-worker" not in argv)
    print("usage: python -m ustaz [run|serve [--no-web] [--no-ws] [--no-worker]]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
