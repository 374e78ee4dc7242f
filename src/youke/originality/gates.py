"""Registers the originality gate with selection (called from the app's ready())."""

from youke.originality.domain.results import blocks
from youke.selection.domain.gates import register_gate

register_gate("originality", blocks)
