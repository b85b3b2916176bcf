"""From the towns' own catalogs to a proposed baseline and deltas (specgen consolidate)."""
