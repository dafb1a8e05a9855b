"""The cluster's network: one Linux bridge in this namespace and one network namespace per machine.

Every machine gets a veth pair, one end on the bridge and the other, renamed ``eth0``, in its
namespace, with an address on 10.77.0.0/24. This process sits on the bridge too (10.77.0.1), so the
test's client and SMTP server reach every machine the way the machines reach each other: over a
network, never over a shared loopback. Extra addresses on the bridge let the client appear as several
visitors (the per-address log-in limit counts each address on its own).
"""

from __future__ import annotations

import subprocess

BRIDGE = "clbr0"
SUBNET = "10.77.0"
CLIENT = f"{SUBNET}.1"
#: name -> address. Namespace names are prefixed, so a leftover from a crashed run is recognised.
MACHINES = {"db": f"{SUBNET}.2", "proxy": f"{SUBNET}.5", "app1": f"{SUBNET}.11", "app2": f"{SUBNET}.12"}
VISITORS = [f"{SUBNET}.{n}" for n in range(101, 106)]
PREFIX = "clu-"


def namespace(machine: str) -> str:
    return PREFIX + machine


def ip(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(["ip", *args], check=check, capture_output=True, text=True)


def in_namespace(machine: str, *args: str) -> list[str]:
    """The command line that runs ``args`` inside ``machine``'s namespace."""
    return ["ip", "netns", "exec", namespace(machine), *args]


class Network:
    """``with Network():`` builds everything; leaving the block (normally or not) removes it all."""

    def __enter__(self) -> Network:
        self.tear_down()  # a run killed before its clean-up left these behind
        try:
            self._build()
        except BaseException:
            self.tear_down()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.tear_down()

    def _build(self) -> None:
        ip("link", "add", BRIDGE, "type", "bridge")
        ip("addr", "add", f"{CLIENT}/24", "dev", BRIDGE)
        for visitor in VISITORS:
            ip("addr", "add", f"{visitor}/24", "dev", BRIDGE)
        ip("link", "set", BRIDGE, "up")
        for index, (machine, address) in enumerate(MACHINES.items()):
            name, host_end = namespace(machine), f"cluv{index}"
            ip("netns", "add", name)
            ip("link", "add", host_end, "type", "veth", "peer", "name", "eth0", "netns", name)
            ip("link", "set", host_end, "master", BRIDGE, "up")
            ip("-n", name, "addr", "add", f"{address}/24", "dev", "eth0")
            ip("-n", name, "link", "set", "eth0", "up")
            ip("-n", name, "link", "set", "lo", "up")

    def pids(self, machine: str) -> list[int]:
        found = ip("netns", "pids", namespace(machine), check=False).stdout.split()
        return [int(pid) for pid in found]

    @staticmethod
    def tear_down() -> None:
        """Delete the namespaces (their veth ends go with them) and the bridge; quiet when absent."""
        for machine in MACHINES:
            ip("netns", "delete", namespace(machine), check=False)
        ip("link", "delete", BRIDGE, check=False)
