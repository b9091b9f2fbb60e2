"""Layer 3, rendering: content → pages in one language (guides, quiz screens and flow, leaflets,
QR codes, the 404 page). No MkDocs here. Imports only the layers below (content, i18n).
"""
