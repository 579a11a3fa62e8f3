"""Shared machinery: dates, security headers, permissions, error pages, i18n, form helpers."""
