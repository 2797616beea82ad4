from tests.utils.openai_server import openai_server, openai_standin  # noqa: F401
