"""Text that tries to override the assistant's rules (prompt injection), in four languages."""

from __future__ import annotations

import re

_PATTERNS = [
    # English
    r"\b(ignore|disregard|forget|override|bypass)\b.{0,30}\b(instruction|instructions|rules|prompt|guidelines|previous|above|system)\b",
    r"\byou are now\b|\bact as\b|\bpretend (to be|you are)\b|\bsystem prompt\b|\bjailbreak\b|\bdeveloper mode\b",
    r"\b(new|real) (instructions|rules)\b",
    # French
    r"\b(ignore|ignorez|oublie|oubliez|contourne)\b.{0,30}\b(instructions?|regles|consignes|prompt|systeme)\b",
    r"\btu es maintenant\b|\bfais comme si\b|\bagis comme\b",
    # Russian
    r"\b(игнорируй|игнорируйте|забудь|забудьте|отмени|проигнорируй|обойди)\b.{0,30}\b(инструкци\w*|правил\w*|промпт\w*|указани\w*|систем\w*)",
    r"\bты теперь\b|\bпредставь,? что ты\b|\bсистемн\w+ промпт",
    # Arabic (folded: ة → ه, أ → ا)
    r"(تجاهل|انس|انسى|تخط|اهمل)\S*.{0,30}(التعليمات|تعليمات|القواعد|قواعد|الاوامر|اوامر|البرومبت|النظام)",
    r"انت الان|تظاهر بانك",
]
_COMPILED = [re.compile(p, re.IGNORECASE) for p in _PATTERNS]


def is_injection(folded: str) -> bool:
    return any(p.search(folded) for p in _COMPILED)
