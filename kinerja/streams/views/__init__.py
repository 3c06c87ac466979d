"""The service-data pages, by noun."""
