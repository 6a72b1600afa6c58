"""Screening a refund history: the buyers whose refund-only claims reach the administrative or
criminal level (docs/screening.md).  The library function is `screen_history`."""
from .run import screen_history

__all__ = ["screen_history"]
