"""`python -m ustaz run`: prepare the embedded installation and run the whole system.

It migrates, collects static files, loads the demo university (once) and then runs, until Ctrl-C:
- granian (WSGI) for pages, with one worker process per core, static files served by granian itself;
- granian (ASGI, Channels) for WebSockets on the next port (see docs/decisions/0002-servers.md);
- the django-tasks database worker and the clock.
`python -m ustaz serve` does the same without the preparation (for the scaled deployment's processes).
It first checks that its ports are free (a server left running must not share them), then supervises the
children (ustaz/supervisor.py): one that dies is restarted, and Ctrl-C stops every process of every child.
"""

from __future__ import annotations

import errno
import os
import socket
import sys
from pathlib import Path

from ustaz.supervisor import Supervisor, own_terminal_job

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


def port_problem(host: str, port: int) -> str | None:
    """Why host:port cannot be listened on (None when it can): checked before anything starts, so that a
    server left running (or any other program) is never silently shared."""
    try:
        family, kind, proto, _name, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror as error:
        return f"the host {host!r} (USTAZ_HOST) cannot be resolved: {error}"
    with socket.socket(family, kind, proto) as probe:
        # As the servers do: a port left in TIME_WAIT by a stopped server is free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                return f"port {port} on {host} is already in use (is Ustaz, or another program, still running?)"
            return f"cannot listen on port {port} on {host}: {error.strerror}"
    return None


def serve(*, web: bool = True, websockets: bool = True, worker: bool = True, prepare_first: bool = False) -> int:
    settings = _settings()
    host = os.environ.get("USTAZ_HOST", "127.0.0.1")
    port = int(os.environ.get("USTAZ_PORT", "8000"))
    ws_port = int(os.environ.get("USTAZ_WS_PORT", str(port + 1)))
    problems = []
    if web and (problem := port_problem(host, port)):
        problems.append(f"{problem}: stop it, or choose another port with USTAZ_PORT")
    if websockets and (problem := port_problem(host, ws_port)):
        problems.append(f"{problem}: stop it, or choose another port for WebSockets with USTAZ_WS_PORT")
    if problems:
        for problem in problems:
            print(f"ustaz: {problem}.", file=sys.stderr)
        return 1
    if prepare_first:
        prepare()
        print_demo_logins()
    workers = os.environ.get("USTAZ_WEB_WORKERS", str(os.cpu_count() or 2))
    threads = os.environ.get("USTAZ_WEB_THREADS", "2")
    python = sys.executable
    # Granian replaces a worker process that dies (the server keeps its port), and gives a worker that will
    # not stop 5 s before killing it (the supervisor waits 10 s for the whole server).
    granian = [python, "-m", "granian", "--no-access-log", "--log-level", "warning", "--workers-kill-timeout", "5"]
    children = []
    if web:
        children.append(
            (
                "web server",
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
                    "--respawn-failed-workers",
                    "--respawn-interval",
                    "1",
                    "--blocking-threads",
                    threads,
                    "--backlog",
                    "2048",
                    "--static-path-route",
                    settings.STATIC_URL.rstrip("/"),
                    "--static-path-mount",
                    str(settings.STATIC_ROOT),
                    "ustaz.wsgi:application",
                ],
            )
        )
    if websockets:
        children.append(
            (
                "WebSocket server",
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
                ],
            )
        )
    if worker:
        children.append(("task worker", [python, str(ROOT / "manage.py"), "db_worker"]))
        children.append(("clock", [python, str(ROOT / "manage.py"), "clock"]))

    def started() -> None:
        if web:
            print(f"\nUstaz is running at http://{host}:{port}/  (WebSockets on port {ws_port})")
        print("Stop it with Ctrl-C.\n", flush=True)

    return Supervisor(children, cwd=ROOT).run(on_started=started)


def print_demo_logins() -> None:
    from django.utils import translation

    from ustaz.demo.management.commands.load_demo import DEMO_LOGINS, DEMO_PASSWORD

    print(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    with translation.override("en"):
        for login, role in DEMO_LOGINS.items():
            print(f"  {login:<16} {role.label}")


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "run"
    try:
        with own_terminal_job():
            return _command(command, argv)
    except KeyboardInterrupt:
        # Ctrl-C before the servers started (during the migrations, say): a requested stop, said quietly.
        print(file=sys.stderr)
        return 0


def _command(command: str, argv: list[str]) -> int:
    if command == "run":
        return serve(prepare_first=True)
    if command == "serve":
        return serve(web="--no-web" not in argv, websockets="--no-ws" not in argv, worker="--no-worker" not in argv)
    print("usage: python -m ustaz [run|serve [--no-web] [--no-ws] [--no-worker]]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
