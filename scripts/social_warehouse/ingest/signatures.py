"""What each export kind looks like: its canonical columns and every known
header spelling (seeds `export_columns` and `header_aliases`)."""

from __future__ import annotations

import csv
import hashlib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from social_warehouse import PROJECT_ROOT

SEED_DIR = PROJECT_ROOT / "seeds" / "config"


def normalise(header: str) -> str:
    """Compare headers without case, accents' composition, BOMs or stray spaces."""
    text = unicodedata.normalize("NFC", str(header)).replace("\ufeff", "")
    text = text.replace("\u2019", "'").replace("\u00a0", " ").replace("\u202f", " ")
    return " ".join(text.split()).casefold()


@dataclass
class ExportKind:
    name: str
    platform: str
    columns: list[str] = field(default_factory=list)
    required: set[str] = field(default_factory=set)
    aliases: dict[str, tuple[str, str]] = field(default_factory=dict)  # norm header -> (col, lang)

    def match(self, cells: list[str]) -> tuple[dict[int, str], set[str]]:
        """Map cell positions to canonical columns; also return the languages seen."""
        mapping: dict[int, str] = {}
        languages: set[str] = set()
        taken: set[str] = set()
        for i, cell in enumerate(cells):
            hit = self.aliases.get(normalise(cell))
            if hit and hit[0] not in taken:
                mapping[i] = hit[0]
                taken.add(hit[0])
                languages.add(hit[1])
        return mapping, languages


@dataclass
class Catalogue:
    kinds: dict[str, ExportKind]
    digest: str

    @classmethod
    def from_rows(cls, columns: list[dict], aliases: list[dict]) -> Catalogue:
        kinds: dict[str, ExportKind] = {}
        for row in sorted(columns, key=lambda r: (r["export_kind"], int(r["column_position"]))):
            kind = kinds.setdefault(
                row["export_kind"],
                ExportKind(row["export_kind"], row["export_kind"].split("_")[0]),
            )
            kind.columns.append(row["canonical_column"])
            if str(row["is_required"]).lower() == "true":
                kind.required.add(row["canonical_column"])
        for row in aliases:
            kind = kinds[row["export_kind"]]
            lang = str(row["header_locale"]).split("_")[0]
            kind.aliases[normalise(row["header_text"])] = (row["canonical_column"], lang)
        digest = hashlib.sha256(
            repr(
                sorted((k, v.columns, sorted(v.aliases.items())) for k, v in kinds.items())
            ).encode()
        ).hexdigest()[:16]
        return cls(kinds, digest)

    @classmethod
    def from_seeds(cls, seed_dir: Path = SEED_DIR) -> Catalogue:
        with (seed_dir / "export_columns.csv").open(encoding="utf-8", newline="") as fh:
            columns = list(csv.DictReader(fh))
        with (seed_dir / "header_aliases.csv").open(encoding="utf-8", newline="") as fh:
            aliases = list(csv.DictReader(fh))
        return cls.from_rows(columns, aliases)
