"""A change of what the incremental models' kept rows were computed with forces a full refresh.

`regiopool.transform.dbt_build` compares a fingerprint of the seeds, macros, staging, history and
quality models, the name keys and the record groups with the one of the last successful build; a difference
makes the build a full refresh.
"""

from __future__ import annotations

import shutil

from regiopool.settings import DBT_PROJECT_DIR
from regiopool.transform import INCREMENTAL_INPUTS, incremental_fingerprint


def _project_copy(tmp_path):
    copy = tmp_path / "dbt_project"
    for folder in (*INCREMENTAL_INPUTS, "models/marts"):
        if (DBT_PROJECT_DIR / folder).is_file():
            (copy / folder).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(DBT_PROJECT_DIR / folder, copy / folder)
        else:
            shutil.copytree(DBT_PROJECT_DIR / folder, copy / folder)
    return copy


def test_a_changed_seed_history_or_grouping_changes_the_fingerprint(tmp_path):
    copy = _project_copy(tmp_path)
    before = incremental_fingerprint(copy)
    assert before == incremental_fingerprint(copy)

    seed = copy / "seeds" / "statuses.csv"
    seed.write_text(seed.read_text(encoding="utf-8") + "irl,Warteschleife,on_hold\n", encoding="utf-8")
    after_seed = incremental_fingerprint(copy)
    assert after_seed != before

    history = copy / "models" / "intermediate" / "histories" / "int_irl__project_history.sql"
    history.write_text(history.read_text(encoding="utf-8") + "\n-- changed\n", encoding="utf-8")
    after_history = incremental_fingerprint(copy)
    assert after_history not in {before, after_seed}

    seen = {before, after_seed, after_history}
    for model in ("int_regional_name_keys.sql", "int_regional_record_groups.sql"):
        path = copy / "models" / "intermediate" / "regional" / model
        path.write_text(path.read_text(encoding="utf-8") + "\n-- changed\n", encoding="utf-8")
        now = incremental_fingerprint(copy)
        assert now not in seen, model
        seen.add(now)


def test_a_changed_mart_keeps_the_fingerprint(tmp_path):
    copy = _project_copy(tmp_path)
    before = incremental_fingerprint(copy)
    mart = copy / "models" / "marts" / "fct_projects.sql"
    mart.write_text(mart.read_text(encoding="utf-8") + "\n-- changed\n", encoding="utf-8")
    assert incremental_fingerprint(copy) == before
