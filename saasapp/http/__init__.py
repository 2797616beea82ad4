"""The HTTP API: FastAPI app factory, dependencies, error shape, request context, pagination."""
