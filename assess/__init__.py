"""assess: case assessment for AI-faked damage photos in refund-only (仅退款) disputes."""

__version__ = "0.1.0"
