"""Landing ingest: native exports in, raw Parquet (text values, lineage) out."""

from social_warehouse.ingest.core import IngestResult, LandingError, ingest
from social_warehouse.ingest.signatures import Catalogue

__all__ = ["Catalogue", "IngestResult", "LandingError", "ingest"]
