"""Thin clients for the outside world (LLM, email, social, web3), each swappable by URL."""
