"""What each export kind looks like, from the registry seeds under `seeds/config/`:
its platform and entity (`export_kinds`), its canonical columns (`export_columns`)
and every known header spelling (`header_aliases`)."""

from __future__ import annotations

import csv
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

REGISTRY = "seeds/config"  # relative to the dbt project directory


def normalise(header: str) -> str:
    """Compare headers without case, accents' composition, BOMs or stray spaces."""
    text = unicodedata.normalize("NFC", str(header)).replace("\ufeff", "")
    text = text.replace("\u2019", "'").replace("\u00a0", " ").replace("\u202f", " ")
    return " ".join(text.split()).casefold()


@dataclass
class ExportKind:
    name: str
    platform: str
    entity: str  # the raw table (and staging contract) its rows go to
    summary_labels: set[str] = field(default_factory=set)  # first-row labels of a totals row
    columns: list[str] = field(default_factory=list)
    required: set[str] = field(default_factory=set)
    personal: set[str] = field(default_factory=set)  # value_type personal: pseudonymised
    aliases: dict[str, tuple[str, str]] = field(default_factory=dict)  # norm header -> (col, lang)
    # headers with a parameter, `Amount spent ({currency_code})`: (pattern, col, lang)
    patterns: list[tuple[re.Pattern, str, str]] = field(default_factory=list)

    def _hit(self, cell: str) -> tuple[str, str] | None:
        hit = self.aliases.get(normalise(cell))
        if hit is None:
            for pattern, column, lang in self.patterns:
                if pattern.fullmatch(normalise(cell)):
                    return column, lang
        return hit

    def match(self, cells: list[str]) -> tuple[dict[int, str], set[str]]:
        """Map cell positions to canonical columns; also return the languages seen."""
        mapping: dict[int, str] = {}
        languages: set[str] = set()
        taken: set[str] = set()
        for i, cell in enumerate(cells):
            hit = self._hit(cell)
            if hit and hit[0] not in taken:
                mapping[i] = hit[0]
                taken.add(hit[0])
                languages.add(hit[1])
        return mapping, languages

    def header_parameters(self, cells: list[str]) -> dict[str, str]:
        """Values read from headers with a parameter: `Amount spent (EUR)` gives
        {'currency_code': 'EUR'} (case kept). The first header that gives a value wins."""
        values: dict[str, str] = {}
        for cell in cells:
            text = normalise_keep_case(cell)
            for pattern, _, _ in self.patterns:
                found = pattern.fullmatch(text)
                if found:
                    for name, value in found.groupdict().items():
                        values.setdefault(name, value.strip())
        return values


@dataclass
class Catalogue:
    kinds: dict[str, ExportKind]
    digest: str

    @property
    def platforms(self) -> list[str]:
        """Every platform some export kind belongs to: the landing folder's first level."""
        return sorted({k.platform for k in self.kinds.values()})

    def entity_columns(self, entity: str) -> list[str]:
        """The raw table of an entity holds every canonical column of its kinds, so any
        batch of files can be read by any kind's staging rule."""
        columns: list[str] = []
        for kind in sorted(self.kinds.values(), key=lambda k: k.name):
            if kind.entity == entity:
                columns += [c for c in kind.columns if c not in columns]
        return columns

    @property
    def entities(self) -> list[str]:
        return sorted({k.entity for k in self.kinds.values()})

    @classmethod
    def from_rows(
        cls, kinds_rows: list[dict], columns: list[dict], aliases: list[dict]
    ) -> Catalogue:
        kinds: dict[str, ExportKind] = {
            row["export_kind"]: ExportKind(
                row["export_kind"],
                row["platform"],
                row["entity"],
                {
                    normalise(label)
                    for label in (
                        ""
                        if _blank(row.get("summary_row_labels"))
                        else str(row["summary_row_labels"])
                    ).split("|")
                    if label.strip()
                },
            )
            for row in kinds_rows
        }
        raw_columns = [r for r in columns if _blank(r.get("derived_from"))]
        for row in sorted(raw_columns, key=lambda r: (r["export_kind"], int(r["column_position"]))):
            if row["export_kind"] not in kinds:
                raise ValueError(
                    f"export_columns: kind {row['export_kind']!r} is not in export_kinds"
                )
            kind = kinds[row["export_kind"]]
            kind.columns.append(row["canonical_column"])
            if str(row["is_required"]).lower() == "true":
                kind.required.add(row["canonical_column"])
            if str(row.get("value_type", "")).strip() == "personal":
                kind.personal.add(row["canonical_column"])
        for row in aliases:
            kind = kinds[row["export_kind"]]
            lang = str(row["header_locale"]).split("_")[0]
            kind.aliases[normalise(row["header_text"])] = (row["canonical_column"], lang)
            if PARAMETER.search(str(row["header_text"])):
                kind.patterns.append(
                    (_header_pattern(row["header_text"]), row["canonical_column"], lang)
                )
        digest = hashlib.sha256(
            repr(
                sorted(
                    (
                        k,
                        v.platform,
                        v.entity,
                        sorted(v.summary_labels),
                        v.columns,
                        sorted(v.aliases.items()),
                        sorted(v.personal),
                    )
                    for k, v in kinds.items()
                )
            ).encode()
        ).hexdigest()[:16]
        return cls(kinds, digest)

    @classmethod
    def from_seeds(cls, project_dir: Path) -> Catalogue:
        """The registry as committed in a dbt project's seeds."""

        def rows(name: str) -> list[dict]:
            path = project_dir / REGISTRY / f"{name}.csv"
            with path.open(encoding="utf-8", newline="") as fh:
                return list(csv.DictReader(fh))

        return cls.from_rows(rows("export_kinds"), rows("export_columns"), rows("header_aliases"))


PARAMETER = re.compile(r"\{([a-z_]+)\}")


def normalise_keep_case(header: str) -> str:
    """As `normalise`, keeping the letters' case (for values read from a header)."""
    text = unicodedata.normalize("NFC", str(header)).replace("\ufeff", "")
    text = text.replace("\u2019", "'").replace("\u00a0", " ").replace("\u202f", " ")
    return " ".join(text.split())


def _header_pattern(header_text: str) -> re.Pattern:
    """A header alias with `{column}` parameters as a pattern: each parameter reads
    a value (no brackets) into the canonical column of that name."""
    parts = PARAMETER.split(normalise_keep_case(header_text))
    regex = "".join(
        f"(?P<{part}>[^()]+?)" if i % 2 else re.escape(part) for i, part in enumerate(parts)
    )
    return re.compile(regex, re.IGNORECASE)


def _blank(value: object) -> bool:
    """Empty cells arrive as '' from csv, None or NaN from a seed table."""
    return value is None or value != value or str(value).strip() == ""
