"""Shared API pieces."""

API_PREFIX = "/api/v1"
