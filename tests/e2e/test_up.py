"""``jixiao up``: the README's first command, as a newcomer runs it."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx

from api.auth import dev_actors
from domain.model import Role, Status
from infra.bootstrap import build_services
from infra.settings import Settings
from tests.e2e.servers import JIXIAO, free_port_block, node_env

NODE_LINE = re.compile(r"^(\d{6}) (\S+) (http://127\.0\.0\.1:\d+)/$")
BOOTSTRAP_LINE = re.compile(r"^bootstrap (127\.0\.0\.1:\d+)$")
TOKEN_LINE = re.compile(r"^(\d{6}) (editor|reviewer|auditor|admin)\s+(\S+)$")
RESTART_SECONDS = 60


@dataclass
class Up:
    """A running ``up``: what it printed so far, its URLs and tokens."""

    process: subprocess.Popen[str]
    lines: list[str] = field(default_factory=list)
    urls: dict[str, str] = field(default_factory=dict)
    tokens: dict[tuple[str, str], str] = field(default_factory=dict)
    announced: threading.Event = field(default_factory=threading.Event)

    def read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))
            if node := NODE_LINE.match(self.lines[-1]):
                self.urls[node.group(1)] = node.group(3)
            if token := TOKEN_LINE.match(self.lines[-1]):
                self.tokens[(token.group(1), token.group(2))] = token.group(3)
            if bootstrap := BOOTSTRAP_LINE.match(self.lines[-1]):
                self.urls["bootstrap"] = bootstrap.group(1)
            if len(self.tokens) == 12:
                self.announced.set()
        self.announced.set()

    def output(self) -> str:
        """What it printed, without the tokens."""
        return "\n".join(line for line in self.lines if not TOKEN_LINE.match(line))

    def children(self) -> dict[int, str]:
        """The processes ``up`` started and that still run, with their command lines."""
        found: dict[int, str] = {}
        for entry in Path("/proc").iterdir():
            try:
                stat = (entry / "stat").read_text()
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except (OSError, ValueError):
                continue  # not a process, or gone meanwhile
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            if parent == self.process.pid and command:
                found[int(entry.name)] = command
        return found

    def child(self, part: str) -> int | None:
        """The child whose command line has ``part``; none between a stop and a restart."""
        found = [pid for pid, command in self.children().items() if part in command]
        assert len(found) <= 1, f"{len(found)} children run {part!r}"
        return found[0] if found else None


@contextmanager
def running_up(data_dir: Path) -> Iterator[Up]:
    """Start ``up`` and wait for its tokens; afterwards press Ctrl-C and see everything stop."""
    port = free_port_block(4)  # three nodes and the broker
    up = Up(
        subprocess.Popen(
            [str(JIXIAO), "up", "--base-port", str(port)],
            env=node_env(data_dir, None),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
    )
    reader = threading.Thread(target=up.read, daemon=True)
    reader.start()
    try:
        assert up.announced.wait(120), up.output()
        assert len(up.tokens) == 12, up.output()
        yield up
    finally:
        up.process.send_signal(signal.SIGINT)
        assert up.process.wait(timeout=30) == 0, up.output()
        reader.join(timeout=10)
    broker_host, broker_port = up.urls["bootstrap"].split(":")
    assert not listening(broker_host, int(broker_port)), "the broker still listens after Ctrl-C"
    for code, url in up.urls.items():
        if code == "bootstrap":
            continue
        try:
            httpx.get(f"{url}/health", timeout=1)
        except httpx.HTTPError:
            continue
        raise AssertionError(f"{url} still answers after Ctrl-C")


def listening(host: str, port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex((host, port)) == 0


def healthy(url: str) -> bool:
    try:
        return httpx.get(f"{url}/health", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def eventually(check: Callable[[], bool], what: str, up: Up) -> None:
    deadline = time.monotonic() + RESTART_SECONDS
    while not check():
        assert time.monotonic() < deadline, f"{what} within {RESTART_SECONDS} s:\n{up.output()}"
        time.sleep(0.2)


def test_up_runs_the_seed_nodes_prints_urls_and_tokens_and_stops_on_ctrl_c(
    tmp_path: Path,
) -> None:
    with running_up(tmp_path / "var") as up:
        assert sorted(up.urls) == ["320000", "360000", "360100", "bootstrap"]
        assert "320000: 4 new of 4 seed tables" in up.lines
        for code, url in up.urls.items():
            if code == "bootstrap":
                continue
            query = {"query": "{ tables { totalCount } me { role jurisdiction } }"}
            headers = {"Authorization": f"Bearer {up.tokens[(code, 'reviewer')]}"}
            api = f"{url}/graphql"
            data = httpx.post(api, json=query, headers=headers, timeout=10).json()["data"]
            assert data["tables"]["totalCount"] == (0 if code == "360000" else 4)
            assert data["me"] == {"role": "REVIEWER", "jurisdiction": code}
            assert httpx.post(api, json=query, timeout=10).status_code == 401
            sign_in = httpx.get(f"{url}/login", timeout=10).text
            for name in ("王编报", "李审核", "赵审计", "陈管理"):
                assert name in sign_in, f"the sign-in page of {code} does not offer {name}"


def test_up_starts_a_killed_node_and_a_killed_broker_again_and_the_others_keep_running(
    tmp_path: Path,
) -> None:
    with running_up(tmp_path / "var") as up:
        city = up.urls["360100"]
        killed = up.child("serve -j 360100")
        assert killed is not None
        os.kill(killed, signal.SIGKILL)
        eventually(lambda: not healthy(city), "the killed node stops answering", up)
        for code in ("320000", "360000"):
            assert healthy(up.urls[code]), f"{code} stopped with 360100:\n{up.output()}"
        eventually(lambda: healthy(city), "the node for 360100 answers again", up)
        assert up.child("serve -j 360100") not in (None, killed)
        eventually(
            lambda: any("360100" in line and "again" in line for line in up.lines),
            "up says it starts 360100 again",
            up,
        )

        host, port = up.urls["bootstrap"].split(":")
        broker = up.child("--listener-url")
        assert broker is not None
        os.kill(broker, signal.SIGKILL)
        eventually(lambda: up.child("--listener-url") not in (None, broker), "a new broker", up)
        eventually(lambda: listening(host, int(port)), "the new broker listens", up)
        assert any("broker" in line and "again" in line for line in up.lines), up.output()
        for code in ("320000", "360000", "360100"):
            assert healthy(up.urls[code]), f"{code} stopped with the broker:\n{up.output()}"
        submit_one_table(up)
        eventually(lambda: inbox_size(up) == 1, "the submission reaches the province", up)


def graphql(up: Up, code: str, role: str, query: str) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {up.tokens[(code, role)]}"}
    answer = httpx.post(f"{up.urls[code]}/graphql", json={"query": query}, headers=headers)
    data: dict[str, Any] = answer.json()["data"]
    return data


def submit_one_table(up: Up) -> None:
    """The city submits a table: it travels through the (new) broker to the province."""
    found = graphql(up, "360100", "editor", "{ tables { edges { node { id version } } } }")
    table = found["tables"]["edges"][0]["node"]
    table_id, version = table["id"], table["version"]
    submit = f'submitTable(input: {{tableId: "{table_id}", expectedVersion: {version}}})'
    done = graphql(up, "360100", "editor", f"mutation {{ {submit} {{ __typename }} }}")
    assert done["submitTable"]["__typename"] == "TableChanged", done


def inbox_size(up: Up) -> int:
    found = graphql(up, "360000", "reviewer", "{ inbox { edges { node { tableId } } } }")
    return len(found["inbox"]["edges"])


def test_a_second_up_keeps_every_edit_and_leaves_an_approved_table_alone(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "var"
    with running_up(data_dir):
        pass
    settings = Settings(data_dir=data_dir, database_url=None)
    city_editor = next(a for a in dev_actors("360100") if a.role is Role.EDITOR)
    province_editor, province_reviewer = (
        next(a for a in dev_actors("320000") if a.role is role)
        for role in (Role.EDITOR, Role.REVIEWER)
    )
    city = build_services("360100", settings)
    province = build_services("320000", settings)
    try:
        edited = city.app.tables()[0]
        city.editing.set_project_field(
            city_editor, edited.id, edited.version, "manager", "新负责人", "换人"
        )
        approved = province.app.tables()[0]  # edited, then approved: as in the README
        changed = province.editing.set_project_field(
            province_editor, approved.id, approved.version, "manager", "审定负责人", None
        )
        submitted = province.workflow.submit(province_editor, approved.id, changed.table.version)
        province.workflow.approve(province_reviewer, approved.id, submitted.table.version)
        before = {
            table.id: table.version for node in (city, province) for table in node.app.tables()
        }
    finally:
        city.close()
        province.close()

    with running_up(data_dir) as up:
        assert "360100: 0 new of 4 seed tables; 4 already here, left as they are" in up.lines
        assert "320000: 0 new of 4 seed tables; 4 already here, left as they are" in up.lines
        assert "Traceback" not in up.output()

    city = build_services("360100", settings)
    province = build_services("320000", settings)
    try:
        after = {
            table.id: table.version for node in (city, province) for table in node.app.tables()
        }
        assert after == before, "a second up stored new revisions of existing tables"
        assert city.app.table(edited.id).content.project.manager == "新负责人"
        assert province.app.table(approved.id).status is Status.APPROVED
        assert province.app.table(approved.id).content.project.manager == "审定负责人"
    finally:
        city.close()
        province.close()


def test_submissions_to_a_parent_killed_under_up_all_arrive_once(tmp_path: Path) -> None:
    """Every acknowledged submission reaches the province, though it was killed as they came."""
    with running_up(tmp_path / "var") as up:
        found = graphql(up, "360100", "editor", "{ tables { edges { node { id version } } } }")
        tables = [edge["node"] for edge in found["tables"]["edges"]]
        province = up.child("serve -j 360000")
        assert province is not None
        for table in tables:
            submit = f'submitTable(input: {{tableId: "{table["id"]}", expectedVersion: 1}})'
            done = graphql(up, "360100", "editor", f"mutation {{ {submit} {{ __typename }} }}")
            assert done["submitTable"]["__typename"] == "TableChanged", done
            if table is tables[1]:
                os.kill(province, signal.SIGKILL)
        eventually(lambda: healthy(up.urls["360000"]), "the province answers again", up)
        eventually(lambda: inbox_size(up) == len(tables), "every submission arrives", up)
        inbox = graphql(
            up, "360000", "reviewer", "{ inbox { edges { node { tableId version } } } }"
        )
        arrived = sorted(
            (edge["node"]["tableId"], edge["node"]["version"]) for edge in inbox["inbox"]["edges"]
        )
        assert arrived == sorted((table["id"], 2) for table in tables)
    services = build_services("360000", Settings(data_dir=tmp_path / "var", database_url=None))
    try:
        for table in tables:
            received = services.app.received_table(UUID(table["id"]))
            assert received is not None
            assert [item.version for item in received.received] == [2]  # none twice
    finally:
        services.close()
