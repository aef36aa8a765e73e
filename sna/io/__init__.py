"""Readers and data access: police.uk, force extracts, geography, caches, national datasets."""

__all__: list[str] = []
