"""wrk Lua scripts for the benchmark's write requests (method, body, headers, per-request paths)."""

from __future__ import annotations

import tempfile
from pathlib import Path


def registration_lua(tokens: list[str]) -> str:
    """Each request registers the next seeded person, so every POST does the real work once.

    Tokens are read from a file: thousands of them make too large a Lua literal.
    """
    path = Path(tempfile.mkdtemp(prefix="bench-tokens-")) / "tokens.txt"
    path.write_text("\n".join(tokens) + "\n")
    return f"""
local tokens = {{}}
for line in io.lines("{path}") do tokens[#tokens + 1] = line end
local next_token = 0
init = function(args) next_token = tonumber(args[1] or "0") end
request = function()
  next_token = next_token + 1
  local token = tokens[(next_token % #tokens) + 1]
  return wrk.format("POST", nil, {{["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json"}}, "{{}}")
end
"""


def json_post_lua(body: str) -> str:
    # A Lua long string needs no escaping; the JSON is ASCII (json.dumps escapes the rest).
    return f"""
wrk.method = "POST"
wrk.body = [[{body}]]
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"
"""
