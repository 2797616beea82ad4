"""The shell every page wears (layout, forms), the signed-in user's state and page guards."""
