"""Seeded generator of realistic landed extracts for Cakupan, and the truth they imply.

    from synthetic import generate
    expected = generate(Path("data/landing"), people=30_000, seed=7)

The generator is the test oracle of the readers and the marts: it is written from the
spec alone, and `expected` is computed from its own records, never by reading files.
"""

from .generate import generate

__all__ = ["generate"]
