"""Every process the cluster runs, started inside a machine's namespace, logged, and always stopped.

``ip netns exec`` replaces itself with the command, so each ``Popen`` is the service itself (and
``kill_machine`` can SIGKILL all of a machine's processes, children included, as a power cut would).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from pathlib import Path

from tests.cluster.network import Network, in_namespace


class Processes:
    def __init__(self, network: Network, logs: Path):
        self.network = network
        self.logs = logs
        self.started: list[tuple[str, str, subprocess.Popen]] = []

    def start(
        self, name: str, machine: str, argv: list[str], *, env: dict | None = None, user: str | None = None
    ) -> subprocess.Popen:
        if user:  # setpriv execs too (runuser would fork and stay the parent)
            argv = ["setpriv", f"--reuid={user}", f"--regid={user}", "--init-groups", *argv]
        log = (self.logs / f"{name}.log").open("ab")
        process = subprocess.Popen(
            in_namespace(machine, *argv),
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=Path(__file__).resolve().parents[2],
            start_new_session=True,  # Ctrl-C in the terminal reaches the runner only, which cleans up
        )
        self.started.append((name, machine, process))
        return process

    def run(self, name: str, machine: str, argv: list[str], **kwargs) -> None:
        """Run a command to its end inside ``machine``; raise with its log when it fails."""
        process = self.start(name, machine, argv, **kwargs)
        if process.wait(timeout=300):
            raise RuntimeError(f"{name} failed:\n{self.tail(name)}")

    def kill_machine(self, machine: str) -> int:
        """SIGKILL every process in the machine's namespace at once; returns how many there were."""
        pids = self.network.pids(machine)
        for pid in pids:
            _signal(pid, signal.SIGKILL)
        return len(pids)

    def stop_all(self) -> None:
        """SIGTERM everything still running (last started first), then SIGKILL what did not stop."""
        for _name, _machine, process in reversed(self.started):
            if process.poll() is None:
                _signal(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for _name, _machine, process in self.started:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for machine in {machine for _name, machine, _process in self.started}:
            self.kill_machine(machine)  # children that outlived their parent (postgres backends)

    def tail(self, name: str, lines: int = 40) -> str:
        path = self.logs / f"{name}.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""


def _signal(pid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signum)
