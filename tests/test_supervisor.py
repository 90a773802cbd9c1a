"""`python -m ustaz serve` keeps the platform up and stops it whole: real processes, the tree read from /proc.

- a child killed (the WSGI server, the WebSocket server, the task worker, the clock) is restarted while the
  others go on, and the pages answer again;
- Ctrl-C typed into `make run`'s terminal (which signals the whole foreground job, make too) leaves no
  process behind and the ports free, with make's exit status 0 and no noise;
- a port already taken is refused before anything starts;
- the supervisor's back-off doubles on quick deaths, starts again after a stable run, and gives up only on
  a child that never starts.
"""

from __future__ import annotations

import fcntl
import os
import pty
import shutil
import signal
import socket
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path

import httpx
import pytest

from ustaz.supervisor import Supervisor, group_members

from .test_scaled import ROOT, free_port

CHILDREN = {"wsgi": "web server", "asginl": "WebSocket server", "db_worker": "task worker", "clock": "clock"}


def wait_for(what: str, condition, timeout: float = 60, interval: float = 0.1):
    """Poll `condition` until it returns something true (returned), or fail naming `what`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"gave up waiting for {what} after {timeout} s")


def process_table() -> dict[int, dict]:
    """Every live (not zombie) process: its parent, its group and its command line."""
    table = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
            cmdline = Path(entry.path, "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2 :].split()
        if fields[0] in ("Z", "X"):
            continue
        table[int(entry.name)] = {
            "ppid": int(fields[1]),
            "pgid": int(fields[2]),
            "args": [part.decode(errors="replace") for part in cmdline if part],
        }
    return table


def descendants(pid: int) -> set[int]:
    table = process_table()
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, info in table.items() if info["ppid"] in frontier} - found
        found |= frontier
    return found


def children(supervisor: int) -> dict[str, int]:
    """The supervisor's children by their name (see CHILDREN)."""
    named = {}
    for pid, info in process_table().items():
        if info["ppid"] != supervisor:
            continue
        for marker, name in CHILDREN.items():
            if marker in info["args"]:
                named[name] = pid
    return named


def health(base: str) -> bool:
    try:
        return httpx.get(f"{base}/health/", timeout=5).status_code == 200
    except httpx.HTTPError:
        return False


def port_accepts(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2):
            return True
    except OSError:
        return False


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


# The tables straight from the models (what the platform's processes touch: sessions, cache, the task queue,
# the clock's runs), in a second rather than the minute all the migrations take on SQLite.
CREATE_TABLES = """
from django.apps import apps
from django.db import connection
with connection.schema_editor() as editor:
    for model in apps.get_models():
        if model._meta.managed and not model._meta.proxy:
            editor.create_model(model)
"""


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    """A var directory with the database's tables, made once and copied for each platform."""
    var = tmp_path_factory.mktemp("migrated")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("USTAZ_") and key not in ("PYTEST_VERSION", "PYTEST_CURRENT_TEST")
    }
    env.update({"USTAZ_VAR_DIR": str(var), "USTAZ_SECRET_KEY": "supervisor-test-" + "k" * 50})
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "shell", "-c", CREATE_TABLES], env=env, check=True, cwd=ROOT)  # noqa: S603
    subprocess.run([*manage, "createcachetable"], env=env, check=True, cwd=ROOT)  # noqa: S603
    return var, env


class Terminal(threading.Thread):
    """A pseudo-terminal for a command to run in as a shell's foreground job: what it prints is kept, and
    Ctrl-C typed into it makes the terminal signal the job (the line discipline does, as for a person)."""

    def __init__(self):
        super().__init__(daemon=True)
        self.master, self.slave = pty.openpty()
        self.output = bytearray()

    def run(self) -> None:
        while True:
            try:
                data = os.read(self.master, 4096)
            except OSError:  # EIO: every process holding the terminal is gone
                return
            if not data:
                return
            self.output += data

    def popen(self, command: list[str], **kwargs) -> subprocess.Popen:
        def controlling_terminal() -> None:  # a new session whose controlling terminal this is
            os.setsid()
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        process = subprocess.Popen(  # noqa: S603
            command,
            stdin=self.slave,
            stdout=self.slave,
            stderr=self.slave,
            preexec_fn=controlling_terminal,  # noqa: PLW1509 - the test's threads do not fork
            **kwargs,
        )
        os.close(self.slave)
        self.start()
        return process

    def type_ctrl_c(self) -> None:
        os.write(self.master, b"\x03")


@pytest.fixture
def platform(request, migrated, tmp_path):
    """`python -m ustaz serve` with two web workers, in its own session as a terminal's foreground job, or
    (parameter "make") as the recipe of `make run` in a real terminal."""
    how = getattr(request, "param", "direct")
    source, base_env = migrated
    var = tmp_path / "var"
    shutil.copytree(source, var)
    port, ws_port = free_port(), free_port()
    env = {
        **base_env,
        "USTAZ_VAR_DIR": str(var),
        "USTAZ_PORT": str(port),
        "USTAZ_WS_PORT": str(ws_port),
        "USTAZ_WEB_WORKERS": "2",
    }
    if how == "make":
        # The Makefile's run target, but straight to `serve` (not the demo university's preparation).
        makefile = tmp_path / "Makefile"
        makefile.write_text(f"run:\n\t{sys.executable} -m ustaz serve\n")
        terminal = Terminal()
        process = terminal.popen([shutil.which("make") or "make", "-f", str(makefile), "run"], env=env, cwd=ROOT)

        def output() -> str:
            return terminal.output.decode(errors="replace")

        def ustaz() -> int | None:
            table = process_table()
            return next(
                (pid for pid in descendants(process.pid) if "ustaz" in table.get(pid, {}).get("args", [])), None
            )

        supervisor = wait_for("make to start ustaz", ustaz)
    else:
        log = tmp_path / "output.txt"
        with log.open("wb") as sink:
            process = subprocess.Popen(  # noqa: S603
                [sys.executable, "-m", "ustaz", "serve"],
                env=env,
                cwd=ROOT,
                stdout=sink,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

        def output() -> str:
            return log.read_text(errors="replace")

        supervisor = process.pid
    base = f"http://127.0.0.1:{port}"
    platform = {
        "process": process,
        "supervisor": supervisor,
        "base": base,
        "port": port,
        "ws_port": ws_port,
        "output": output,
    }
    if how == "make":
        platform["terminal"] = terminal
    try:
        wait_for("the pages to answer", lambda: health(base))
        wait_for("the four children", lambda: len(children(supervisor)) == 4)
        wait_for("the WebSocket port", lambda: port_accepts(ws_port))
        yield platform
    finally:
        # Whatever a failing test leaves: the process tree, and any server still on the test's ports.
        ports = {str(port), str(ws_port)}
        leftovers = descendants(process.pid) | {
            pid for pid, info in process_table().items() if ports & set(info["args"]) and "granian" in info["args"]
        }
        if process.poll() is None:
            process.kill()
            process.wait()
        for pid in leftovers:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if how == "make":
            os.close(terminal.master)


class Load(threading.Thread):
    """GETs /health/ in a loop (a bounded number of times), each result labelled with the current phase."""

    def __init__(self, base: str, limit: int = 3000):
        super().__init__(daemon=True)
        self.base, self.limit = base, limit
        self.phase = "start"
        self.results: list[tuple[str, bool]] = []
        self.done = threading.Event()

    def run(self) -> None:
        with httpx.Client(timeout=15) as client:  # generous: the machine may be busy, only refusals count
            while not self.done.is_set() and len(self.results) < self.limit:
                phase = self.phase
                try:
                    ok = client.get(f"{self.base}/health/").status_code == 200
                except httpx.HTTPError:
                    ok = False
                self.results.append((phase, ok))
                time.sleep(0.02)

    def outcomes(self, phase: str) -> list[bool]:
        return [ok for label, ok in self.results if label == phase]


def test_each_child_killed_is_restarted_while_the_platform_answers(platform):
    supervisor = platform["supervisor"]
    load = Load(platform["base"])
    load.start()
    try:
        # One of the web server's workers killed: granian replaces it itself, the server and its port stay.
        web = children(supervisor)["web server"]
        workers = descendants(web)
        load.phase = "web worker"
        os.kill(min(workers), signal.SIGKILL)
        wait_for("granian to replace its worker", lambda: len(descendants(web) - workers) == 1)
        assert children(supervisor)["web server"] == web
        wait_for("the pages to answer with the new worker", lambda: health(platform["base"]))
        for name in ["web server", "WebSocket server", "task worker", "clock"]:
            before = children(supervisor)
            old = before[name]
            old_group = descendants(old) | {old}
            load.phase = name
            os.kill(old, signal.SIGKILL)
            new = wait_for(
                f"the {name} to be restarted",
                lambda name=name, old=old: (pid := children(supervisor).get(name)) and pid != old and pid,
            )
            # Nothing of the killed child is left (granian's orphaned workers would hold the port) ...
            wait_for(
                f"the old {name}'s processes to end", lambda old_group=old_group: not old_group & process_table().keys()
            )
            # ... and the others were left alone.
            after = children(supervisor)
            assert {k: v for k, v in after.items() if k != name} == {k: v for k, v in before.items() if k != name}
            assert after[name] == new
            if name == "web server":
                wait_for("the pages to answer after the restart", lambda: health(platform["base"]))
            if name == "WebSocket server":
                wait_for("the WebSocket port after the restart", lambda: port_accepts(platform["ws_port"]))
            # A few requests of this phase after the restart, before the next child is killed.
            count = len(load.results)
            wait_for("requests after the restart", lambda count=count: len(load.results) >= count + 5)
        load.phase = "end"
        count = len(load.results)
        wait_for("the last requests", lambda: len(load.results) >= count + 5)
    finally:
        load.done.set()
        load.join(timeout=30)
    assert platform["process"].poll() is None, "the supervisor must outlive its children"
    # Only the web server's own death may cost requests; with the others killed, pages go on answering.
    for phase in ["WebSocket server", "task worker", "clock", "end"]:
        outcomes = load.outcomes(phase)
        assert outcomes and all(outcomes), f"requests failed while the {phase} restarted"
    assert load.outcomes("web server")[-1], "the pages answer again after the web server's restart"
    output = platform["output"]()
    for name in CHILDREN.values():
        assert f"{name} (pid" in output and "killed by SIGKILL" in output
        assert f"{name} restarted (pid" in output


@pytest.mark.parametrize("platform", ["make"], indirect=True)
def test_ctrl_c_in_make_run_stops_every_process_and_frees_the_ports(platform):
    make = platform["process"]
    with httpx.Client(timeout=10) as client:
        for _ in range(10):
            assert client.get(f"{platform['base']}/health/").status_code == 200
            assert client.get(f"{platform['base']}/accounts/login/").status_code == 200
    tree = descendants(make.pid)
    assert len(tree) >= 7, "ustaz, its four children and the web server's two workers"
    platform["terminal"].type_ctrl_c()
    status = make.wait(timeout=60)
    left = tree & process_table().keys()
    assert not left, f"left behind: {[process_table().get(pid) for pid in left]}"
    assert port_is_free(platform["port"]) and port_is_free(platform["ws_port"])
    platform["terminal"].join(timeout=10)
    output = platform["output"]()
    assert status == 0, output
    for noise in ("Unexpected exit", "Traceback", "Interrupt", "Error"):
        assert noise not in output, output


def test_a_taken_port_is_refused_before_anything_starts(tmp_path):
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("USTAZ_")}
    env.update({"USTAZ_VAR_DIR": str(tmp_path), "USTAZ_PORT": str(port), "USTAZ_WS_PORT": str(free_port())})
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", port))
        taken.listen()
        for command in ("run", "serve"):
            result = subprocess.run(  # noqa: S603
                [sys.executable, "-m", "ustaz", command],
                env=env,
                cwd=ROOT,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
            assert result.returncode == 1
            assert f"port {port} on 127.0.0.1 is already in use" in result.stderr
            assert "USTAZ_PORT" in result.stderr
            assert "running at" not in result.stdout
    # `run` stopped before its preparation: no database was made.
    assert not (tmp_path / "ustaz.sqlite3").exists()


def script(tmp_path: Path, body: str) -> list[str]:
    path = tmp_path / "child.py"
    path.write_text(body)
    return [sys.executable, str(path)]


def test_quick_deaths_double_the_delay_then_give_up(tmp_path, capfd):
    failing = script(tmp_path, "import sys; sys.exit(3)")
    supervisor = Supervisor([("failing", failing)], first_delay=0.05, give_up_after=4, stable_seconds=30)
    assert supervisor.run() == 1
    messages = capfd.readouterr().err
    assert messages.count("exited with code 3") == 4
    assert [f"restarting it in {delay:g} s" in messages for delay in (0.05, 0.1, 0.2)] == [True] * 3
    assert "4 deaths in a row just after starting, giving up" in messages


def test_a_child_that_ran_stably_is_restarted_without_growing_delay_and_never_given_up(tmp_path, capfd):
    runs = tmp_path / "runs"
    # Each run lasts past `stable_seconds` and dies; the sixth stops the supervisor as Ctrl-C would.
    body = f"""
import os, signal, sys, time
from pathlib import Path
runs = Path({str(runs)!r})
runs.write_text(runs.read_text() + "x" if runs.exists() else "x")
if len(runs.read_text()) >= 6:
    os.kill(os.getppid(), signal.SIGTERM)
    time.sleep(30)
time.sleep(0.3)
sys.exit(1)
"""
    supervisor = Supervisor([("steady", script(tmp_path, body))], first_delay=0.05, give_up_after=2, stable_seconds=0.2)
    assert supervisor.run() == 0
    messages = capfd.readouterr().err
    assert messages.count("exited with code 1") == 5
    assert messages.count("restarting it in 0.05 s") == 5
    assert "giving up" not in messages
    assert not group_members(supervisor.children[0].pid)


def supervise_in_a_process(tmp_path: Path, child_body: str, **options) -> subprocess.Popen:
    """A Supervisor of one child (the script `child_body`) in a process of its own."""
    child = script(tmp_path, child_body)
    code = (
        "import sys; from ustaz.supervisor import Supervisor; "
        f"sys.exit(Supervisor([('stubborn', {child!r})], **{options!r}).run())"
    )
    return subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stderr=subprocess.PIPE, text=True)  # noqa: S603


# A child that ignores SIGTERM and starts a grandchild that ignores it too; each writes its pid when ready.
STUBBORN = """
import os, signal, subprocess, sys, time
from pathlib import Path
signal.signal(signal.SIGTERM, signal.SIG_IGN)
here = Path(__file__).parent
if len(sys.argv) == 1:
    subprocess.Popen([sys.executable, __file__, "grandchild"])
    name = "child.pid"
else:
    name = "grandchild.pid"
(here / (name + ".tmp")).write_text(str(os.getpid()))
(here / (name + ".tmp")).rename(here / name)
while True:
    time.sleep(1)
"""


def pids_written(tmp_path: Path) -> list[int] | None:
    files = [tmp_path / "child.pid", tmp_path / "grandchild.pid"]
    return [int(path.read_text()) for path in files] if all(path.exists() for path in files) else None


def test_what_will_not_stop_is_killed_after_the_timeout_grandchildren_too(tmp_path):
    supervisor = supervise_in_a_process(tmp_path, STUBBORN, stop_timeout=1.0)
    pids = wait_for("the child and the grandchild", lambda: pids_written(tmp_path))
    supervisor.send_signal(signal.SIGINT)
    assert supervisor.wait(timeout=60) == 0
    assert not set(pids) & process_table().keys()
    assert "would not stop" not in supervisor.stderr.read()


def test_children_stop_when_the_supervisor_itself_is_killed(tmp_path):
    supervisor = supervise_in_a_process(tmp_path, "import time\nopen(__file__ + '.ready', 'w').close()\ntime.sleep(60)")
    wait_for("the child", lambda: Path(str(tmp_path / "child.py") + ".ready").exists())
    [child] = [pid for pid, info in process_table().items() if info["ppid"] == supervisor.pid]
    supervisor.kill()
    supervisor.wait()
    wait_for("the child to get the parent-death signal", lambda: child not in process_table(), timeout=30)
