"""Actor: the messages an actor reference answers itself (LANGUAGE.md 3.2).

Sends to a reference are intercepted before lookup; these entries make the protocol
visible to reflection and keep it sealed against overriding.
"""

from __future__ import annotations

from ..actors import REFERENCE_SELECTORS, reference_selectors
from .support import forwarding

PRIMITIVES = {"Actor": forwarding(REFERENCE_SELECTORS, reference_selectors)}
