"""Typed views of the dbt artifacts the tooling reads (manifest.json, run_results.json).

Only the fields we use are parsed; everything is read by key, never from log text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class ContractColumn:
    name: str
    data_type: str
    description: str


@dataclass(frozen=True)
class ModelNode:
    unique_id: str
    name: str
    schema: str
    relation_name: str
    contract_enforced: bool
    columns: tuple[ContractColumn, ...]
    description: str
    access: str = "protected"  # dbt's default when a model does not set it
    fqn: tuple[str, ...] = ()  # project, folders under the model path, name


@dataclass(frozen=True)
class TestNode:
    unique_id: str
    name: str
    test_type: str  # generic test name (not_null, relationships, ...) or "singular"
    attached_node: str | None  # unique_id of the model/seed/source it tests
    column_name: str | None
    severity: str
    description: str
    kwargs: dict = field(default_factory=dict)
    meta: dict = field(default_factory=dict)


@dataclass(frozen=True)
class NodeResult:
    unique_id: str
    status: str  # success, error, fail, warn, pass, skipped
    failures: int | None
    message: str | None
    relation_name: str | None  # audit table of stored failures, for tests
    execution_time: float


@dataclass(frozen=True)
class RunResults:
    invocation_id: str
    generated_at: str
    command: str
    results: tuple[NodeResult, ...]

    def by_status(self, *statuses: str) -> list[NodeResult]:
        return [r for r in self.results if r.status in statuses]


@dataclass(frozen=True)
class Manifest:
    models: dict[str, ModelNode]
    tests: dict[str, TestNode]
    node_names: dict[str, str]  # unique_id -> name, for every node and source
    project_name: str = ""
    seed_files: dict[str, str] = field(default_factory=dict)  # seed name -> path in project
    exposures: dict[str, tuple[str, ...]] = field(default_factory=dict)  # name -> unique_ids
    # every node and source, for the steward's words: unique_id -> what it is
    node_descriptions: dict[str, str] = field(default_factory=dict)
    column_descriptions: dict[str, dict[str, str]] = field(default_factory=dict)
    node_files: dict[str, str] = field(default_factory=dict)  # unique_id -> path in project
    parents: dict[str, tuple[str, ...]] = field(default_factory=dict)  # unique_id -> depends_on

    def model(self, name: str) -> ModelNode:
        return next(m for m in self.models.values() if m.name == name)


MARTS_FOLDER = "marts"


def published_marts(manifest: Manifest) -> tuple[str, ...]:
    """The marts BI reads, from the project's own declarations rather than a list in code:
    the contract-enforced models of the marts folder that are `access: public`; while no
    model of that folder sets its access (dbt's default is protected), every
    contract-enforced model of the folder. Dimensions first, then facts, then the rest,
    each by name."""
    in_folder = [
        m
        for m in manifest.models.values()
        if len(m.fqn) > 2
        and m.fqn[1] == MARTS_FOLDER
        and (not manifest.project_name or m.fqn[0] == manifest.project_name)
    ]
    public_set = any(m.access == "public" for m in in_folder)
    chosen = [
        m.name
        for m in in_folder
        if m.contract_enforced and (m.access == "public" or not public_set)
    ]

    def order(name: str) -> tuple[int, str]:
        return (0 if name.startswith("dim_") else 1 if name.startswith("fct_") else 2, name)

    return tuple(sorted(chosen, key=order))


def load_manifest(target: Path) -> Manifest:
    raw = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    models, tests, names, seeds = {}, {}, {}, {}
    descriptions: dict[str, str] = {}
    column_descriptions: dict[str, dict[str, str]] = {}
    files: dict[str, str] = {}
    parents: dict[str, tuple[str, ...]] = {}
    for uid, node in {**raw["nodes"], **raw.get("sources", {})}.items():
        descriptions[uid] = node.get("description") or ""
        column_descriptions[uid] = {
            name: column.get("description") or ""
            for name, column in (node.get("columns") or {}).items()
        }
        files[uid] = node.get("original_file_path") or ""
        parents[uid] = tuple((node.get("depends_on") or {}).get("nodes") or ())
    for uid, node in raw["nodes"].items():
        names[uid] = node["name"]
        if node["resource_type"] == "model":
            contract = node.get("contract") or {}
            models[uid] = ModelNode(
                unique_id=uid,
                name=node["name"],
                schema=node["schema"],
                relation_name=node.get("relation_name") or "",
                contract_enforced=bool(contract.get("enforced")),
                columns=tuple(
                    ContractColumn(c["name"], (c.get("data_type") or "").lower(), c["description"])
                    for c in node["columns"].values()
                ),
                description=node.get("description") or "",
                access=str(node.get("access") or "protected"),
                fqn=tuple(node.get("fqn") or ()),
            )
        elif node["resource_type"] == "seed":
            seeds[node["name"]] = node["original_file_path"]
        elif node["resource_type"] == "test":
            meta = node.get("test_metadata") or {}
            tests[uid] = TestNode(
                unique_id=uid,
                name=node["name"],
                test_type=meta.get("name", "singular"),
                attached_node=node.get("attached_node")
                or next(iter(node.get("depends_on", {}).get("nodes", [])), None),
                column_name=node.get("column_name"),
                severity=str(node["config"].get("severity", "error")).lower(),
                description=node.get("description") or "",
                kwargs={k: v for k, v in meta.get("kwargs", {}).items() if k != "model"},
                meta={**(node.get("meta") or {}), **(node["config"].get("meta") or {})},
            )
    for uid, source in raw.get("sources", {}).items():
        names[uid] = f"{source['source_name']}.{source['name']}"
    exposures = {
        e["name"]: tuple(e.get("depends_on", {}).get("nodes", []))
        for e in raw.get("exposures", {}).values()
    }
    return Manifest(
        models,
        tests,
        names,
        project_name=raw.get("metadata", {}).get("project_name") or "",
        seed_files=seeds,
        exposures=exposures,
        node_descriptions=descriptions,
        column_descriptions=column_descriptions,
        node_files=files,
        parents=parents,
    )


def load_run_results(target: Path) -> RunResults:
    raw = json.loads((target / "run_results.json").read_text(encoding="utf-8"))
    return RunResults(
        invocation_id=raw["metadata"]["invocation_id"],
        generated_at=raw["metadata"]["generated_at"],
        command=str(raw.get("args", {}).get("which", "")),
        results=tuple(
            NodeResult(
                unique_id=r["unique_id"],
                status=r["status"],
                failures=r.get("failures"),
                message=r.get("message"),
                relation_name=r.get("relation_name"),
                execution_time=float(r.get("execution_time") or 0.0),
            )
            for r in raw["results"]
        ),
    )
