"""Tool pages: the generator wizard, my tools, one tool."""
