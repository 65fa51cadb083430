"""sti-review: review international STI cooperation proposals against a rubric."""

__version__ = "0.1.0"
