"""Vetovoima library."""
