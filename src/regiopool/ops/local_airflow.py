"""Start and stop a real Airflow on this machine: scheduler, DAG processor and API server as
separate processes (as in production), with a given Airflow home and port.

Used by the scheduler test (`tests/ops/test_scheduler.py`) and for looking at the UI. Every
process runs in its own process group and is always stopped (TERM, then KILL) on exit.

    with LocalAirflow(airflow_home, settings, port=free_port()) as airflow:
        client = airflow.client()          # regiopool.ops.api.AirflowClient, logged in
        ...
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

from regiopool.ops.api import AirflowClient
from regiopool.ops.environment import airflow_environment
from regiopool.settings import Settings

COMPONENTS = ("api-server", "dag-processor", "scheduler")


class AirflowStartError(RuntimeError):
    """A component did not come up; the message holds the tail of its log."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LocalAirflow:
    def __init__(
        self,
        airflow_home: Path,
        settings: Settings,
        *,
        port: int,
        sql_alchemy_conn: str | None = None,
        all_admins: bool = False,
        extra_env: dict[str, str] | None = None,
        user: str = "operator",
    ) -> None:
        self.airflow_home = Path(airflow_home)
        self.port = port
        self.user = user
        self.password = secrets.token_urlsafe(16)
        self.airflow_home.mkdir(parents=True, exist_ok=True)
        self.passwords_file = self.airflow_home / "passwords.json"
        self.env = {
            **os.environ,
            **airflow_environment(self.airflow_home, settings, port=port,
                                  sql_alchemy_conn=sql_alchemy_conn, all_admins=all_admins),
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": f"{user}:admin",
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(self.passwords_file),
            "AIRFLOW__API__HOST": "127.0.0.1",
            "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "True",  # a client unpauses
            "AIRFLOW__API__WORKERS": "1",
            # the scheduler's log server: a free port, so that two local Airflows can coexist
            "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(free_port()),
            "AIRFLOW__LOGGING__LOGGING_LEVEL": "INFO",
            "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
            **(extra_env or {}),
        }
        self.processes: dict[str, subprocess.Popen] = {}

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_file(self, component: str) -> Path:
        return self.airflow_home / f"{component}.out"

    def log_tail(self, component: str, chars: int = 3000) -> str:
        path = self.log_file(component)
        return path.read_text(errors="replace")[-chars:] if path.exists() else ""

    # ----------------------------------------------------------------------------- lifecycle

    def start(self, timeout: float = 180) -> LocalAirflow:
        self.passwords_file.write_text(json.dumps({self.user: self.password}), encoding="utf-8")
        self.passwords_file.chmod(0o600)
        done = subprocess.run([sys.executable, "-m", "regiopool.ops.bootstrap"], env=self.env,
                              capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise AirflowStartError(f"bootstrap failed:\n{done.stderr[-3000:]}")
        airflow = str(Path(sys.executable).parent / "airflow")
        for component in COMPONENTS:
            out = self.log_file(component).open("ab")
            self.processes[component] = subprocess.Popen(
                [airflow, component], env=self.env, stdout=out, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True)
            out.close()
        self._wait_healthy(timeout)
        return self

    def _wait_healthy(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        last = "no answer"
        while time.monotonic() < deadline:
            for name, proc in self.processes.items():
                if proc.poll() is not None:
                    raise AirflowStartError(
                        f"airflow {name} exited with {proc.returncode}:\n{self.log_tail(name)}")
            try:
                health = requests.get(f"{self.base_url}/api/v2/monitor/health", timeout=5).json()
                states = {k: (v or {}).get("status") for k, v in health.items()}
                last = json.dumps(states)
                if states.get("scheduler") == "healthy" and states.get("dag_processor") == "healthy":
                    return
            except (requests.RequestException, ValueError):
                pass
            time.sleep(2)
        raise AirflowStartError(f"Airflow not healthy after {timeout:.0f} s ({last}):\n"
                                + "\n".join(f"--- {c}\n{self.log_tail(c, 1500)}"
                                            for c in COMPONENTS))

    def stop(self, grace: float = 20) -> None:
        for proc in self.processes.values():
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        deadline = time.monotonic() + grace
        for proc in self.processes.values():
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
            try:  # the group: task runners and workers the component started
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait()
        self.processes.clear()

    def __enter__(self) -> LocalAirflow:  # noqa: PYI034
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc) -> None:
        self.stop()

    def client(self) -> AirflowClient:
        return AirflowClient.login(self.base_url, self.user, self.password)
