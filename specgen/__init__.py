"""specgen: requirement catalogs in YAML to joint procurement specifications."""

from __future__ import annotations

__version__ = "0.1.0"
