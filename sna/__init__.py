"""sna: Serious Violence Duty needs assessment and hate-crime review toolkit."""

__all__ = ["__version__"]

__version__ = "0.1.0"
