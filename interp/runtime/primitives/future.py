"""Future: the protocol a future answers itself (LANGUAGE.md 3.2).

Sends to a future are intercepted by the runtime before lookup; these entries make the
same protocol visible to reflection (`Future methods`) and to `perform:`.
"""

from __future__ import annotations

from ..futures import PROTOCOL, protocol
from .support import forwarding

PRIMITIVES = {"Future": forwarding(PROTOCOL, protocol)}
