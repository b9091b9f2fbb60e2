"""Layer 4, publishing: every page of every language built or refused whole, the finished HTML
(CSP, search, offline list), published links and redirects, the quiz engine's bundle, PDFs,
the nginx block. Imports only the layers below.
"""
