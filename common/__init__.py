"""Small helpers every layer may import (ingest, publish and the Dagster wiring): the clock, file modes."""
