"""Every page path of the app, in one place."""

HOME = "/"
STATUS = "/status"
API_DOCS = "/api/docs"
