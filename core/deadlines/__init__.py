"""Deadline reminders: rules, subscriptions, the idempotent sweep, overviews and calendars (no telegram here)."""
