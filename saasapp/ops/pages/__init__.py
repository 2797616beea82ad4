"""Operations pages for admins and the public status page."""
