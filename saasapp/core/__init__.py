"""What every area uses and that knows no area: errors, the outbox, audit, mail, cache, rate
limits, crypto, health, and their tables."""
