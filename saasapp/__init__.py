"""saasapp: generate, publish and grow micro-SaaS tools."""
