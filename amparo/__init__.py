"""Amparo: builds the guide site from the procedures/ data (see README.md)."""
