"""Text layout for people: Japanese-aware line breaking and its adapter for rich."""
