"""What a fresh Airflow home needs before the scheduler starts; idempotent.

Run inside the Airflow environment (`python -m regiopool.ops.bootstrap`, with the variables of
`regiopool.ops.environment`): Airflow reads its configuration once, at import.

- the metadata database (migrated to this Airflow version);
- the pool `regiopool_warehouse` with one slot (DuckDB allows one writing process per file),
  created when absent: an operator's later change of its description is kept, its size is not
  (one writer is a rule, not a setting);
- the connection `irl_crm_api` (IRL's CRM events over HTTP) when it is absent and
  `REGIOPOOL_IRL_API_URL` and `REGIOPOOL_IRL_API_TOKEN` are set: secrets come from the
  environment (or a secrets backend), never from the repository. Without them no connection is
  created and the IRL ingestion reads only files (see docs/decisions/ops-0002-irl-connection.md).
"""

from __future__ import annotations

import json
import os
import sys

from regiopool.airflow_defaults import WAREHOUSE_POOL

IRL_CONNECTION = "irl_crm_api"
POOL_DESCRIPTION = "DuckDB warehouse: one writing task at a time (regiopool)"


def ensure_database() -> None:
    from airflow.utils import db

    db.initdb()


def ensure_pool() -> str:
    from airflow.models.pool import Pool
    from airflow.utils.session import create_session

    with create_session() as session:
        pool = session.query(Pool).filter(Pool.pool == WAREHOUSE_POOL).one_or_none()
        if pool is None:
            session.add(Pool(pool=WAREHOUSE_POOL, slots=1, description=POOL_DESCRIPTION,
                             include_deferred=False))
            return "created"
        if pool.slots != 1:
            pool.slots = 1
            return "reset to 1 slot"
        return "present"


def ensure_irl_connection() -> str:
    from airflow.models.connection import Connection
    from airflow.utils.session import create_session

    with create_session() as session:
        if session.query(Connection).filter(Connection.conn_id == IRL_CONNECTION).count():
            return "present"
        url = os.environ.get("REGIOPOOL_IRL_API_URL")
        token = os.environ.get("REGIOPOOL_IRL_API_TOKEN")
        if not (url and token):
            return "not configured (IRL is read from its files only)"
        session.add(Connection(conn_id=IRL_CONNECTION, conn_type="http", host=url,
                               password=token,
                               description="IRL CRM events API: host = base URL, password = token"))
        return "created from REGIOPOOL_IRL_API_URL / REGIOPOOL_IRL_API_TOKEN"


def bootstrap() -> dict[str, str]:
    ensure_database()
    return {"pool": ensure_pool(), "connection": ensure_irl_connection()}


def main() -> int:
    print(json.dumps(bootstrap()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
