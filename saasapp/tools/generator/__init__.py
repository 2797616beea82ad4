"""The AI micro-SaaS generator's core: specs, the offline generator, the LLM path, validation.

Plain Python (no Reflex, FastAPI or database): jobs, the API and the UI call into it.
"""
