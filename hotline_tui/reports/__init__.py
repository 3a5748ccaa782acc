"""Monthly ranking, analysis and exports (not built yet: see the issues)."""
