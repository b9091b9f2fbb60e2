"""Layer 1, content: read and check procedures/ (YAML with its lines, the models, passages, words).

Imports nothing else of amparo/: every layer above reads the content through it.
"""
