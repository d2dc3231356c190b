"""Operating regiopool under a real Airflow scheduler.

- `environment`: the Airflow configuration regiopool runs with (home, DAG folder, executor, auth);
- `bootstrap`: what a fresh Airflow home needs (metadata database, the warehouse pool, the IRL
  API connection when configured): `python -m regiopool.ops.bootstrap`;
- `standalone`: `make airflow` (`python -m regiopool.ops.standalone`);
- `local_airflow`: start and stop scheduler, DAG processor and API server (tests, screenshots);
- `api`: a small client of Airflow's REST API v2 (token, unpause, trigger, wait);
- `deadlines`: the partners' delivery deadline (5th working day in Saxony) and who is late.
"""
