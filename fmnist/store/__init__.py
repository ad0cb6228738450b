"""The store: the results folder and the records.

- `results`: one folder per run, named by a key of everything that decides its numbers
  (settings, data checksums, the engine's code, library versions); every file written
  atomically.
- `records`: finished runs copied into `records/` with their provenance, found by their
  settings, and checked against a recomputation.
"""
