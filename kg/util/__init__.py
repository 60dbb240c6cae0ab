"""Small helpers any stage may use (atomic writes, text folding, topic words, person names, CSV
formula escaping, GC pauses).

Nothing here imports a pipeline stage: kg.util sits on the ground floor with kg.model and
kg.errors, so ingest, extract, resolve, graph, export, build and sparql can all lean on it.
"""
