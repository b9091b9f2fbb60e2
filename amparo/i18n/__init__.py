"""Layer 2, translations: gettext catalogs, the term base, numbers in words, hand-written pages'
translations, and right-to-left isolation. Imports only amparo.content.
"""
