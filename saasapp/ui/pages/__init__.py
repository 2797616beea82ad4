"""Pages that belong to no area: home and not found."""
