"""`make airflow`: a real Airflow (scheduler, DAG processor, triggerer, API server and UI) with
regiopool's DAGs, configured from the repository.

    python -m regiopool.ops.standalone [--port 8080] [--all-admins]

- `AIRFLOW_HOME` is `var/airflow` (git-ignored) unless set; SQLite metadata database and the
  LocalExecutor (`airflow standalone`); the DAG folder is the repository's `dags/`; no example DAGs.
- `REGIOPOOL_HOME` / `REGIOPOOL_INBOX` default as in `regiopool.settings` (`var/home`, `var/inbox`).
- The pool `regiopool_warehouse` (1 slot) is created when absent (`regiopool.ops.bootstrap`).
- New DAGs start **unpaused**, so the scheduler does its work at once: the ingestion DAGs load
  the inbox, the transformation follows on their Assets (`--paused` keeps Airflow's default of
  pausing new DAGs, as a production deployment should).
- Login: user `admin`; Airflow generates the password on first start into
  `AIRFLOW_HOME/simple_auth_manager_passwords.json.generated` (printed below, never committed).
  `--all-admins` opens the UI without login: for a look on your own machine only.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

from regiopool.ops.environment import (
    DEFAULT_PORT,
    airflow_environment,
    default_airflow_home,
    password_file,
)
from regiopool.settings import get_settings


def build_environment(port: int, all_admins: bool) -> tuple[dict[str, str], Path]:
    airflow_home = default_airflow_home()
    airflow_home.mkdir(parents=True, exist_ok=True)
    env = {**os.environ,
           **airflow_environment(airflow_home, get_settings(), port=port, all_admins=all_admins)}
    # the `airflow` command of this environment, also for standalone's own sub-processes
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env, airflow_home


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m regiopool.ops.standalone",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int,
                        default=int(os.environ.get("REGIOPOOL_AIRFLOW_PORT", DEFAULT_PORT)))
    parser.add_argument("--paused", action="store_true",
                        help="new DAGs start paused (unpause them in the UI)")
    parser.add_argument("--all-admins", action="store_true",
                        help="no login (every visitor is admin): local use only")
    ns = parser.parse_args(argv)

    env, airflow_home = build_environment(ns.port, ns.all_admins)
    env["AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION"] = "True" if ns.paused else "False"
    # this machine only, unless told otherwise (the simple auth manager is not for a network)
    env.setdefault("AIRFLOW__API__HOST", os.environ.get("REGIOPOOL_AIRFLOW_HOST", "127.0.0.1"))
    env["PYTHONUNBUFFERED"] = "1"  # standalone's console lines appear as they come
    settings = get_settings()
    print(f"regiopool: AIRFLOW_HOME   {airflow_home}")
    print(f"regiopool: DAG folder     {env['AIRFLOW__CORE__DAGS_FOLDER']}")
    print(f"regiopool: REGIOPOOL_HOME {settings.home}")
    print(f"regiopool: REGIOPOOL_INBOX {settings.inbox}")
    if not settings.inbox.is_dir():
        print("regiopool: the inbox does not exist yet; for sample data run\n"
              f"           .venv/bin/regiopool generate --out {settings.inbox}")
    print("regiopool: preparing the metadata database, pool and connections ...", flush=True)
    done = subprocess.run([sys.executable, "-m", "regiopool.ops.bootstrap"], env=env,
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stderr[-4000:])
        print("regiopool: could not prepare Airflow (see above)", file=sys.stderr)
        return done.returncode
    print(f"regiopool: {done.stdout.strip().splitlines()[-1]}")
    print(f"regiopool: UI and REST API on http://localhost:{ns.port}  (REST: /api/v2, "
          "token: POST /auth/token)")
    if ns.all_admins:
        print("regiopool: no login (--all-admins)")
    else:
        print(f"regiopool: log in as admin; the password is in {password_file(airflow_home)} "
              "(generated on first start)")
    print("regiopool: task logs under "
          f"{airflow_home / 'logs'}; stop with Ctrl-C", flush=True)
    airflow = shutil.which("airflow", path=env["PATH"])
    if airflow is None:
        print("regiopool: the `airflow` command is missing; run `make install`", file=sys.stderr)
        return 1
    os.execve(airflow, [airflow, "standalone"], env)
    return 0  # not reached


if __name__ == "__main__":
    sys.exit(main())
