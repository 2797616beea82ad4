"""Tools: the AI generator, tools and their versions, publishing, export and deploy."""
