"""The Airflow configuration regiopool runs with, as environment variables.

Everything comes from the repository and `regiopool.settings`; nothing secret is written into
the repository: Airflow generates its own keys into `AIRFLOW_HOME/airflow.cfg` and the simple auth
manager its admin password into `AIRFLOW_HOME/simple_auth_manager_passwords.json.generated`, both
under `var/` (git-ignored) or a deployment's own home.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from regiopool.settings import DAGS_DIR, Settings, get_settings, repo_path

SIMPLE_AUTH_MANAGER = (
    "airflow.api_fastapi.auth.managers.simple.simple_auth_manager.SimpleAuthManager"
)
DEFAULT_PORT = 8080


def default_airflow_home() -> Path:
    """`AIRFLOW_HOME` when set, else `var/airflow` in the repository (git-ignored)."""
    return Path(os.environ.get("AIRFLOW_HOME") or repo_path("var", "airflow")).resolve()


def airflow_environment(
    airflow_home: Path | None = None,
    settings: Settings | None = None,
    *,
    port: int = DEFAULT_PORT,
    sql_alchemy_conn: str | None = None,
    all_admins: bool = False,
) -> dict[str, str]:
    """Environment for every Airflow component (scheduler, DAG processor, API server, tasks).

    The metadata database is SQLite under the Airflow home unless `sql_alchemy_conn` or
    `AIRFLOW__DATABASE__SQL_ALCHEMY_CONN` names another (PostgreSQL in production).
    """
    airflow_home = Path(airflow_home or default_airflow_home()).resolve()
    settings = settings or get_settings()
    conn = (sql_alchemy_conn or os.environ.get("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN")
            or f"sqlite:///{airflow_home / 'airflow.db'}")
    base_url = f"http://localhost:{port}"
    env = {
        "AIRFLOW_HOME": str(airflow_home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS_DIR),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
        "AIRFLOW__CORE__AUTH_MANAGER": SIMPLE_AUTH_MANAGER,
        "AIRFLOW__CORE__DEFAULT_TIMEZONE": "Europe/Berlin",
        "AIRFLOW__CORE__DAGBAG_IMPORT_TIMEOUT": "120",
        # a small server: two task processes at a time (writers are serialised by the pool
        # anyway); raise it with AIRFLOW__CORE__PARALLELISM on a bigger machine
        "AIRFLOW__CORE__PARALLELISM": os.environ.get("AIRFLOW__CORE__PARALLELISM", "2"),
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": conn,
        "AIRFLOW__API__PORT": str(port),
        "AIRFLOW__API__BASE_URL": base_url,
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"{base_url}/execution/",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS": "True" if all_admins else "False",
        # one signing key for every component: the scheduler signs the task tokens that the
        # API server's execution API checks (Airflow 3.3's scheduler otherwise invents its own)
        "AIRFLOW__API_AUTH__JWT_SECRET": jwt_secret(airflow_home),
        "REGIOPOOL_HOME": str(settings.home),
        "REGIOPOOL_INBOX": str(settings.inbox),
    }
    return env


def jwt_secret(airflow_home: Path) -> str:
    """The JWT signing key of this Airflow home: `AIRFLOW__API_AUTH__JWT_SECRET` when set, else
    generated once into `AIRFLOW_HOME/jwt_secret` (mode 600; never in the repository)."""
    if os.environ.get("AIRFLOW__API_AUTH__JWT_SECRET"):
        return os.environ["AIRFLOW__API_AUTH__JWT_SECRET"]
    path = Path(airflow_home) / "jwt_secret"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_urlsafe(64))
    return path.read_text().strip()


def password_file(airflow_home: Path) -> Path:
    """Where the simple auth manager keeps the generated admin password."""
    return Path(airflow_home) / "simple_auth_manager_passwords.json.generated"
