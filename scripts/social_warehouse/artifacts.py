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

    def model(self, name: str) -> ModelNode:
        return next(m for m in self.models.values() if m.name == name)


def load_manifest(target: Path) -> Manifest:
    raw = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    models, tests, names = {}, {}, {}
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
            )
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
    return Manifest(models, tests, names)


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
