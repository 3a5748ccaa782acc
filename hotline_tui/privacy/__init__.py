"""The caller's privacy: numbers and names sealed under the city's key, looked up by a keyed hash, revealed
only with a stated reason that is audited. Core and headless (no Textual)."""
