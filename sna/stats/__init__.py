"""Statistics on tidy tables: rates, funnels, rurality, trend, strands, disclosure control."""

__all__: list[str] = []
