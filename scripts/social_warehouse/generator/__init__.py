"""Deterministic generator of native platform exports (see EXPORT_FORMATS.md)."""

from social_warehouse.generator.core import GeneratorConfig, generate

__all__ = ["GeneratorConfig", "generate"]
