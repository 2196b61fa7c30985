"""Checks for the built documentation site that do not depend on the site generator."""
