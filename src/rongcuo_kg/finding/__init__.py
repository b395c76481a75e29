"""Which clause covers a situation (the finder and its bank of answered questions, its
evaluation), and how measures differ (clause-by-clause comparison, the concept matrix)."""
