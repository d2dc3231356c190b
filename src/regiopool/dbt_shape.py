"""The shape of the dbt DAG, judged by the rules of dbt-project-evaluator.

dbt-project-evaluator is a dbt package, and dbt packages cannot be fetched here (no dbt hub, no
git), so its core rules are re-stated over dbt's own `manifest.json` (see
docs/decisions/0004-dbt-project-shape.md). Every rule names the evaluator rule it follows.
`python -m regiopool.dbt_shape` prints the violations and exits 1 if there are any; CI runs it
through the test suite, at error severity.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

LAYERS = {  # name prefix → folder under models/
    "stg_": "staging",
    "int_": "intermediate",
}
MART_PREFIXES = ("fct_", "dim_", "kpi_", "partner_", "quality_")
HARD_CODED = re.compile(r"\b(from|join)\s+(raw_[a-z0-9_]+|meta|seeds|staging|intermediate|marts)\.",
                        re.IGNORECASE)
PK_TESTS = {"unique", "unique_combination", "dbt_constraints", "unique_combination_of_columns"}


@dataclass(frozen=True)
class Violation:
    rule: str
    model: str
    detail: str

    def __str__(self) -> str:
        return f"{self.rule}: {self.model}: {self.detail}"


def _layer(node: dict) -> str:
    path = node["original_file_path"].replace("\\", "/")
    for layer in ("staging", "intermediate", "marts"):
        if f"models/{layer}/" in path:
            return layer
    return "other"


def evaluate(manifest: dict) -> list[Violation]:
    nodes = manifest["nodes"]
    models = {uid: n for uid, n in nodes.items() if n["resource_type"] == "model"}
    tests_by_model: dict[str, set[str]] = {}
    for node in nodes.values():
        if node["resource_type"] != "test":
            continue
        attached = node.get("attached_node")
        name = (node.get("test_metadata") or {}).get("name")
        if attached and name:
            tests_by_model.setdefault(attached, set()).add(name)
    constrained = {uid for uid, m in models.items()
                   if any(c.get("type") in {"primary_key", "unique"} for c in m.get("constraints", []))
                   or any(c.get("type") in {"primary_key", "unique"}
                          for col in m.get("columns", {}).values() for c in col.get("constraints", []))}
    out: list[Violation] = []
    for uid, model in sorted(models.items()):
        name = model["name"]
        layer = _layer(model)
        parents = model["depends_on"]["nodes"]
        sources = [p for p in parents if p.startswith("source.")]
        parent_models = [p for p in parents if p.startswith("model.")]
        parent_layers = {_layer(models[p]) for p in parent_models if p in models}

        # structure: naming conventions and directories
        prefix = next((p for p in LAYERS if name.startswith(p)), None)
        if prefix and LAYERS[prefix] != layer:
            out.append(Violation("fct_model_directories", name, f"belongs in models/{LAYERS[prefix]}/"))
        if layer == "staging" and not name.startswith("stg_"):
            out.append(Violation("fct_model_naming_conventions", name, "staging models start with stg_"))
        if layer == "intermediate" and not name.startswith("int_"):
            out.append(Violation("fct_model_naming_conventions", name, "intermediate models start with int_"))
        if layer == "marts" and not name.startswith(MART_PREFIXES):
            out.append(Violation("fct_model_naming_conventions", name,
                                 f"mart names start with one of {', '.join(MART_PREFIXES)}"))
        # modeling: who may read what
        if sources and parent_models:
            out.append(Violation("fct_direct_join_to_source", name, "reads a source and a model"))
        if layer in {"intermediate", "marts"} and sources:
            out.append(Violation("fct_marts_or_intermediate_dependent_on_source", name,
                                 ", ".join(sources)))
        if layer == "staging" and len(sources) > 1:
            out.append(Violation("fct_multiple_sources_joined", name, ", ".join(sources)))
        if layer == "staging" and parent_layers & {"staging", "intermediate", "marts"}:
            out.append(Violation("fct_staging_dependent_on_staging_or_downstream", name,
                                 ", ".join(p for p in parent_models)))
        if layer == "intermediate" and "marts" in parent_layers:
            out.append(Violation("fct_intermediate_dependent_on_marts", name, "reads a mart"))
        if not parents:
            out.append(Violation("fct_root_models", name, "depends on no source, seed or model"))
        if HARD_CODED.search(model.get("raw_code", "")):
            out.append(Violation("fct_hard_coded_references", name,
                                 "use source() or ref() instead of a schema name"))
        # documentation and testing
        if not (model.get("description") or "").strip():
            out.append(Violation("fct_undocumented_models", name, "no description"))
        if layer == "marts":
            undocumented = [c for c, spec in model.get("columns", {}).items()
                            if not (spec.get("description") or "").strip()]
            if undocumented:
                out.append(Violation("fct_undocumented_columns", name, ", ".join(undocumented)))
        if layer in {"intermediate", "marts"} and uid not in constrained and \
                not (tests_by_model.get(uid, set()) & PK_TESTS):
            out.append(Violation("fct_missing_primary_key_tests", name,
                                 "no unique / unique_combination test"))
    return out


def main(argv: list[str] | None = None) -> int:
    argv = argv if argv is not None else sys.argv[1:]
    path = Path(argv[0] if argv else "dbt_project/target/manifest.json")
    violations = evaluate(json.loads(path.read_text(encoding="utf-8")))
    for violation in violations:
        print(violation)
    print(f"{len(violations)} violations of the project-shape rules")
    return 1 if violations else 0


if __name__ == "__main__":
    sys.exit(main())
