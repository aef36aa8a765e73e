"""sna: Serious Violence Duty needs assessment and hate-crime review toolkit."""

__version__ = "0.1.0"
