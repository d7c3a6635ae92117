"""Python tooling around the social marketing warehouse dbt project."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]

__all__ = ["PROJECT_ROOT"]
