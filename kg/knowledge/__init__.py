"""Curated domain knowledge used while resolving mentions (institution names and the like)."""
