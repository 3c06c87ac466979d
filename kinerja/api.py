"""The HTTP API, version 1: one NinjaAPI with a router per app."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="Kinerja API",
    version="1",
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
