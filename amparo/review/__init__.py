"""Layer 5, review: what a change does for readers (`amparo changes`) and how easy the Spanish
is to read. Imports only the layers below.
"""
