"""Kinerja: performance management for Indonesian regional governments."""
