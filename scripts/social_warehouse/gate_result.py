"""What the quality gate found, as the job, the steward report and gate.json keep it.

Apart from the gate itself (quality_gate.py), so that reading or reporting a result
does not import Great Expectations: importing it takes seconds, and the main job's
no-op path (nothing new landed) only reads results.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path


@dataclass
class Failure:
    mart: str
    expectation: str
    column: str | None
    details: str


@dataclass
class GateResult:
    success: bool
    marts_checked: int
    expectations_run: int
    failures: list[Failure] = field(default_factory=list)
    data_docs: str = ""

    def write(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(asdict(self), indent=1), encoding="utf-8")

    @classmethod
    def read(cls, path: Path) -> GateResult | None:
        if not path.exists():
            return None
        raw = json.loads(path.read_text(encoding="utf-8"))
        raw["failures"] = [Failure(**f) for f in raw["failures"]]
        return cls(**raw)
