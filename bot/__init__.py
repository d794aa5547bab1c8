"""Kustomer support triage bot for Slack."""
