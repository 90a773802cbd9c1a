"""Keeps the processes of `python -m ustaz run|serve` running, and stops every one of them when asked.

Each child (granian's WSGI server with its worker processes, granian's ASGI server for WebSockets, the task
worker, the clock) runs in its own session and process group, so that:
- a Ctrl-C in the terminal (which the terminal sends to the whole foreground process group: under make, make
  too, see own_terminal_job) reaches only the supervisor, which then stops the children in order: SIGTERM to
  each child, time to finish, then SIGTERM and at last SIGKILL to whatever is left in its group, so that no
  worker is left behind holding a port;
- a child that dies is restarted on its own, after its leftovers (granian's orphaned workers) are killed, while
  the others go on serving. The delay doubles with each quick death (from `first_delay` to `max_delay`) and is
  forgotten once the child has run `stable_seconds`. A child that dies `give_up_after` times in a row, each
  time within `stable_seconds` of starting, before it has ever run stably, is taken for a configuration
  error (a bad setting, a missing migration): the supervisor then stops everything and exits with 1 rather
  than restarting it forever. Once a child has run stably it is never given up.

Every death and restart is written to standard error with the exit code. Made for Linux (/proc to find the
members of a group, the parent-death signal); elsewhere a group is only known to be empty or not.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

PR_SET_PDEATHSIG = 1


def say(message: str) -> None:
    print(f"ustaz: {message}", file=sys.stderr, flush=True)


def describe_exit(code: int | None) -> str:
    if code is None:
        return "still running"
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exited with code {code}"


def group_members(pgid: int) -> list[int]:
    """Live (not zombie) processes of a process group, from /proc (elsewhere: the group, if it has any)."""
    if not os.path.isdir("/proc/self"):
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return []
        except PermissionError:
            pass
        return [pgid]
    members = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses, so split after the last ")".
        fields = stat[stat.rfind(")") + 2 :].split()
        if len(fields) > 2 and int(fields[2]) == pgid and fields[0] not in ("Z", "X"):
            members.append(int(entry.name))
    return members


def _die_with_parent(parent: int) -> Callable[[], None] | None:
    """A preexec function: the child gets SIGTERM if the supervisor itself is killed (SIGKILL leaves it no
    chance to stop its children)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        prctl = libc.prctl
    except (OSError, AttributeError):
        return None

    def preexec() -> None:
        prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:  # the supervisor died before prctl took effect
            os.kill(os.getpid(), signal.SIGTERM)

    return preexec


@contextmanager
def own_terminal_job() -> Iterator[None]:
    """Be the terminal's foreground job while running, when started by a parent in the same job (make).

    Ctrl-C makes the terminal send SIGINT to every process of its foreground process group: under `make run`
    that is make too, which then reports "*** Interrupt" and exits with 130 whatever its recipe does. Moved
    into a process group of its own and made the foreground one, the supervisor alone gets Ctrl-C, stops
    everything in order, exits with 0, and make with it; the terminal is handed back on the way out. Ctrl-Z
    is ignored meanwhile (stopped, the supervisor would leave make waiting with no job to resume)."""
    try:
        fd = sys.stdin.fileno()
        foreground = os.tcgetpgrp(fd) if os.isatty(fd) else None
    except (OSError, ValueError, AttributeError):
        foreground = None
    own = os.getpgrp()
    if foreground != own or own == os.getpid():  # not in the terminal's foreground job, or already leading one
        yield
        return
    hangup_on_ttou = signal.signal(signal.SIGTTOU, signal.SIG_IGN)  # tcsetpgrp from outside the foreground
    try:
        os.setpgid(0, 0)
        os.tcsetpgrp(fd, os.getpgrp())
        took = True
    except OSError:
        took = False
    signal.signal(signal.SIGTTOU, hangup_on_ttou)
    if not took:
        yield
        return
    stop_on_tstp = signal.signal(signal.SIGTSTP, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGTSTP, stop_on_tstp)
        signal.signal(signal.SIGTTOU, signal.SIG_IGN)
        try:
            os.tcsetpgrp(fd, foreground)
        except OSError:
            pass
        signal.signal(signal.SIGTTOU, hangup_on_ttou)


@dataclass
class Child:
    name: str
    command: Sequence[str]
    process: subprocess.Popen | None = None
    started: float = 0.0
    quick_deaths: int = 0  # deaths since it last ran stably (this one included)
    ran_stably: bool = False
    restart_at: float | None = None
    pids: list[int] = field(default_factory=list)  # every pid it has had, the current last

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None


class Supervisor:
    def __init__(
        self,
        children: Sequence[tuple[str, Sequence[str]]],
        *,
        cwd: Path | str | None = None,
        env: dict[str, str] | None = None,
        first_delay: float = 0.5,
        max_delay: float = 30.0,
        stable_seconds: float = 30.0,
        give_up_after: int = 5,
        stop_timeout: float = 10.0,
        poll_interval: float = 0.2,
    ) -> None:
        self.children = [Child(name, list(command)) for name, command in children]
        self.cwd = cwd
        self.env = env
        self.first_delay = first_delay
        self.max_delay = max_delay
        self.stable_seconds = stable_seconds
        self.give_up_after = give_up_after
        self.stop_timeout = stop_timeout
        self.poll_interval = poll_interval
        self.stop_requested = False
        self.hurry = False  # a second Ctrl-C: kill at once

    # --- signals ---------------------------------------------------------------------------------------------

    def _on_signal(self, signum, _frame) -> None:
        if self.stop_requested:
            self.hurry = True
        self.stop_requested = True

    def install_signal_handlers(self) -> dict:
        return {
            signum: signal.signal(signum, self._on_signal) for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
        }

    # --- children ----------------------------------------------------------------------------------------------

    def start(self, child: Child) -> None:
        child.process = subprocess.Popen(  # noqa: S603 - our own commands
            child.command,
            cwd=self.cwd,
            env=self.env,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=_die_with_parent(os.getpid()),  # noqa: PLW1509 - no threads in the supervisor
        )
        child.started = time.monotonic()
        child.restart_at = None
        child.pids.append(child.process.pid)

    def _clear_group(self, pgid: int, timeout: float) -> list[int]:
        """SIGTERM, then SIGKILL, whatever is left of a child's process group; the pids that would not die."""
        for signum, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 5.0)):
            if not group_members(pgid):
                return []
            try:
                os.killpg(pgid, signum)
            except ProcessLookupError:
                return []
            deadline = time.monotonic() + wait
            while group_members(pgid) and time.monotonic() < deadline:
                time.sleep(0.05)
        return group_members(pgid)

    def _on_death(self, child: Child) -> bool:
        """Handle a child found dead; False when the supervisor should give up."""
        assert child.process is not None
        pid, code = child.process.pid, child.process.returncode
        ran = time.monotonic() - child.started
        self._clear_group(pid, timeout=1.0)  # granian's workers outlive a killed granian: they hold the port
        if ran >= self.stable_seconds:  # the back-off starts again
            child.ran_stably = True
            child.quick_deaths = 0
        child.quick_deaths += 1
        if not child.ran_stably and child.quick_deaths >= self.give_up_after:
            say(
                f"{child.name} (pid {pid}) {describe_exit(code)}: {child.quick_deaths} deaths in a row just after "
                "starting, giving up and stopping everything (see its messages above)"
            )
            return False
        delay = min(self.max_delay, self.first_delay * 2 ** (child.quick_deaths - 1))
        say(f"{child.name} (pid {pid}) {describe_exit(code)} after {ran:.1f} s; restarting it in {delay:g} s")
        child.restart_at = time.monotonic() + delay
        return True

    def stop_all(self) -> list[int]:
        """Stop every child and its whole process group; the pids that survived even SIGKILL."""
        running = [child for child in self.children if child.process is not None and child.process.poll() is None]
        if not self.hurry:
            for child in running:
                try:
                    os.kill(child.process.pid, signal.SIGTERM)  # the leader stops its own workers in order
                except ProcessLookupError:
                    pass
            deadline = time.monotonic() + self.stop_timeout
            while time.monotonic() < deadline and not self.hurry:
                if all(child.process.poll() is not None for child in running):
                    break
                time.sleep(0.05)
        survivors = []
        for child in self.children:
            if child.process is None:
                continue
            if child.process.poll() is None:
                child.process.kill()
            survivors += self._clear_group(child.process.pid, timeout=0 if self.hurry else 2.0)
            try:
                child.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                survivors.append(child.process.pid)
        return survivors

    def run(self, *, on_started: Callable[[], None] | None = None) -> int:
        """Start the children and keep them running until SIGINT/SIGTERM/SIGHUP; 0 after a requested stop."""
        previous_handlers = self.install_signal_handlers()
        status = 0
        try:
            for child in self.children:
                if self.stop_requested:
                    break
                self.start(child)
            if on_started is not None and not self.stop_requested:
                on_started()
            while not self.stop_requested:
                time.sleep(self.poll_interval)
                now = time.monotonic()
                for child in self.children:
                    if self.stop_requested:
                        break
                    if child.restart_at is not None:
                        if now >= child.restart_at:
                            self.start(child)
                            say(f"{child.name} restarted (pid {child.pid})")
                    elif child.process is not None and child.process.poll() is not None:
                        if not self._on_death(child):
                            status = 1
                            self.stop_requested = True
        finally:
            survivors = self.stop_all()
            if survivors:
                say(f"processes {survivors} would not stop")
                status = status or 1
            for signum, handler in previous_handlers.items():
                signal.signal(signum, handler)
        return status
