"""/tools/[tool_id]: one page (page.py) and the state it owns (state.py): the tool, its live
build, versions, publishing and deployment."""

from saasapp.tools.pages.tool.page import tool_page
from saasapp.tools.pages.tool.state import ToolState

__all__ = ["ToolState", "tool_page"]
