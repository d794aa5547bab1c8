"""One issue per conversation: spot text that lists several issues or opens another one."""

from __future__ import annotations

import re

# A list item at a line start: 1.  1)  (1)  #1  or a bullet - * • ◦ ‣ followed by its content.
_ITEM = re.compile(
    r"^\s*(?:(?P<number>\d{1,2}[.)]|\(\d{1,2}\)|#\d{1,2}[.):]?)|[-*•◦‣])\s+(?P<content>\S.*)$"
)
# Numbered items that start with one of these read as steps of one issue ("1. Open …").
_STEP_VERBS = frozenset(
    {
        "open",
        "click",
        "go",
        "navigate",
        "log",
        "login",
        "sign",
        "select",
        "choose",
        "enter",
        "type",
        "press",
        "tap",
        "save",
        "create",
        "add",
        "submit",
        "send",
        "wait",
        "refresh",
        "reload",
        "visit",
        "copy",
        "paste",
        "upload",
        "scroll",
        "switch",
        "run",
        "try",
        "start",
        "assign",
        "reply",
        "close",
        "then",
    }
)
# Headings whose list is detail of one issue (steps, expectations, setup), not issues.
# Anchored at the heading's start, so "Problems with the new version:" stays neutral.
_DETAIL_HEADING = re.compile(
    r"^(?:(?:what|things|how)\s+)?(?:(?:i|we)\s*(?:have\s+|ve\s+)?)?(?:to\s+)?"
    r"(?:steps?|reproduc\w*|repro|expected|actual|environment|details?|setup|config\w*|"
    r"tried|attempted|troubleshooting|workarounds?|symptoms?|logs?|examples?|context|"
    r"timeline|browsers?|versions?|system|devices?)\b"
)
_MIN_WORDS = 3
_MIN_CHARS = 12


def lists_several_issues(text: str) -> bool:
    """True when text lists two or more substantial numbered or bulleted items as issues.

    Choices, so that ordinary descriptions pass:
    - an item counts only at a line start (`1.`, `1)`, `(1)`, `#1`, `-`, `*`, `•`) and only
      with substance: at least 3 words or 12 characters ("- Chrome" does not count);
    - items under a heading that introduces detail of one issue are not issues: "Steps to
      reproduce:", "Expected:", "Environment:", "What I tried:", "Symptoms:", …;
    - a numbered item that starts with a step verb ("1. Open Settings", "2. Click Save") is
      a step, not an issue, even without a heading;
    - a heading is a non-item line that ends with ":" or follows a blank line (or opens
      the text); other non-item lines continue the previous item and change nothing;
    - a numbered list inside one line ("steps: 1. open 2. click") is prose, not a list.
    """
    issues = 0
    in_detail = False
    after_gap = True
    for line in text.splitlines():
        stripped = line.strip()
        item = _ITEM.match(line)
        if item:
            issues += not in_detail and _is_issue(item.group("content"), item.group("number"))
        elif stripped and (after_gap or stripped.endswith(":")):
            in_detail = _is_detail_heading(stripped)
        after_gap = not stripped
    return issues >= 2


def _is_issue(content: str, number: str | None) -> bool:
    """An item with substance that does not read as a numbered step."""
    words = content.split()
    if number and words[0].lower() in _STEP_VERBS:
        return False
    return len(words) >= _MIN_WORDS or len(content.strip()) >= _MIN_CHARS


def _is_detail_heading(line: str) -> bool:
    """A heading line (short or ending with ':') naming detail of a single issue."""
    heading = _APOSTROPHE.sub("", line.strip("#*_ ").lower())
    if not heading.endswith(":") and len(heading.split()) > 8:
        return False
    return bool(_DETAIL_HEADING.search(heading))


# Phrases that clearly open a different issue. Text is normalised first: lower case,
# straight apostrophes, punctuation turned into spaces ("Also, unrelated:" → "also unrelated").
_NOUN = r"(?:issues?|problems?|bugs?|requests?|topics?)"
_OPENERS = re.compile(
    "|".join(
        (
            rf"\b(?:another|separate|different|new|second|2nd|additional|one more)\s+"
            rf"(?:\w+\s+)?{_NOUN}\b",
            r"\b(?:separate|different|unrelated)\s+(?:\w+\s+)?questions?\b",
            rf"\bunrelated\s+(?:\w+\s+)?(?:{_NOUN}|questions?|note|matter|thing)\b",
            r"\balso\s+unrelated\b",
            r"\bunrelated\s+but\b",
            r"\b(?:something|totally|completely|entirely)\s+unrelated\b",
            r"\bon\s+(?:a|an|another)\s+(?:different|separate|unrelated|other)?\s*note\b",
            r"\b(?:change|changing)\s+(?:of\s+)?(?:the\s+)?(?:subject|topic)\b",
            r"\bwhile\s+(?:i\s+have\s+you|im\s+here|i\s+am\s+here|were\s+at\s+it)\b",
            r"^\s*separately\b",
        )
    )
)
# Sentences that talk about the same issue, deny a new one, or only ask whether it is one.
_SAME_ISSUE = re.compile(
    r"\bsame\s+(?:\w+\s+)?(?:issue|problem|bug|root|cause|error|one|thing|incident)\b"
    r"|\brelated\s+to\s+(?:this|the\s+same|my\s+(?:first|original|earlier))\b"
)
_NEGATED = re.compile(
    r"\b(?:not|isnt|arent|wasnt|never|nor|dont\s+think|doesnt\s+seem)"
    r"\s+(?:\w+\s+){0,3}?(?:another|separate|different|new|second|unrelated|additional)\b"
    r"|\bno\s+(?:other|new|second|separate|different|additional)\b"
)
_ASKING = re.compile(
    r"^\s*(?:is|are|could|can|would|might|may|was)\s+(?:this|that|it|these|those)\b"
)
_SENTENCE = re.compile(r"(?<=[.!?;\n])\s*|\s*\n\s*")
_APOSTROPHE = re.compile("['`\u2018\u2019\u00b4]")


def opens_another_issue(text: str) -> bool:
    """True when a reply clearly raises a different issue ("another issue", "also, unrelated").

    Works sentence by sentence and keeps false positives low: a sentence about the same
    issue ("another symptom of the same issue"), a negated one ("not a separate issue")
    or a question whether it is one ("is this a new issue?") does not count.
    """
    for sentence in _SENTENCE.split(text):
        if not sentence.strip():
            continue
        asking = sentence.rstrip().endswith("?")
        normal = _normalise(sentence)
        if _SAME_ISSUE.search(normal) or _NEGATED.search(normal):
            continue
        if asking and _ASKING.search(normal):
            continue
        if _OPENERS.search(normal):
            return True
    return False


def _normalise(sentence: str) -> str:
    """Lower case; apostrophes dropped ("isn't" → "isnt"); other punctuation → spaces."""
    lowered = _APOSTROPHE.sub("", sentence.lower())
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", lowered)).strip()
