"""What the app says in a customer's shared channel (§11): the impact prompt in the thread of
their message, what it filed, the pinned help message, and a filed request's opening post.

Only customer-facing words: no assignee, no internal channel, no engineer's name.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.domain.accounts import ChatRefusal
from bot.domain.model import Request
from bot.domain.requests import Priority
from bot.domain.shared_prompts import PickRefusal, PromptOffer
from bot.slack.ids import Action, Block
from bot.slack.surfaces import labels
from bot.slack.surfaces.blocks import Json, Message, actions, button, context, section
from bot.slack.text import escape, mention_user

CRITICAL_MEANS = (
    "*Critical* means your team cannot work: complete downtime or system failure, most users "
    "cannot reach core features, a security breach or unauthorised access to sensitive data, "
    "or severe performance degradation. Critical requests page our 24/7 on-call team."
)
DETAILS_BUTTON = "File with details"
EMAIL_ROUTE_WHY = {
    ChatRefusal.ROLE: (
        "Choosing the business impact is open to your organisation's owners and "
        "administrators, so this request goes through the email route"
    ),
    ChatRefusal.PLAN: (
        "Choosing the business impact is not part of the Professional plan, so this request "
        "goes through the email route"
    ),
}
IN_THIS_THREAD = "The support team answers in this thread; reply here to add anything."


def impact_prompt(prompt_id: int, offer: PromptOffer, phrases: Mapping[Priority, str]) -> Message:
    """The prompt under a customer's message: each impact they may pick, with its target (or,
    with nothing to pick, why the message is filed at Medium through the email route)."""
    if offer.files_at_once:
        return filing_by_email(offer)
    lines = [
        "Would you like the support team to take this up? Pick its business impact and we "
        "file your message as a support request, or add details first.",
        *(f"• *{p.label}*: {escape(phrases.get(p, ''))}" for p in offer.impacts.priorities),
    ]
    picks = [
        button(
            priority.label,
            action_id=f"{Action.PICK_IMPACT}.{priority.value}",
            value=f"{prompt_id}:{priority.value}",
            style="danger" if priority is Priority.CRITICAL else None,
        )
        for priority in offer.impacts.priorities
    ]
    blocks: list[Json] = [
        section("\n".join(lines), block_id=Block.SHARED_PROMPT),
        actions([*picks, details_button(f"prompt:{prompt_id}")]),
    ]
    if Priority.CRITICAL in offer.impacts.priorities:
        blocks.append(context(CRITICAL_MEANS))
    return Message(
        text="Pick the business impact to file this as a support request.", blocks=blocks
    )


def filing_by_email(offer: PromptOffer) -> Message:
    """The answer to a message filed at once: at Medium through the email route, and why."""
    text = ":inbox_tray: Filing this as a support request at *Medium* impact."
    why = EMAIL_ROUTE_WHY.get(offer.refusal) if offer.refusal else None
    if why:
        text += f" {why}."
    return Message(
        text="Filing this as a support request at Medium impact.",
        blocks=[section(text, block_id=Block.SHARED_PROMPT)],
    )


def details_button(value: str) -> Json:
    """Opens the filing modal (from a prompt: prefilled with the message)."""
    return button(DETAILS_BUTTON, action_id=Action.FILE_WITH_DETAILS, value=value)


def filed_answer(request: Request, offer: PromptOffer) -> Message:
    """The prompt once answered: the impact chosen (the request's own note, with its key and
    due time, follows in the thread); at Medium through the email route, also why."""
    lines = [f":white_check_mark: *{request.priority.label}* impact."]
    why = EMAIL_ROUTE_WHY.get(offer.refusal) if offer.refusal else None
    if why and labels.is_email(request):
        lines.append(f"{why}, which is handled at *Medium* impact.")
    return Message(
        text=f"{request.key}: {request.priority.label} impact.",
        blocks=[section("\n".join(lines), block_id=Block.SHARED_PROMPT)],
    )


def lapsed_prompt() -> Message:
    """A prompt nobody answered in 24 hours, its choices gone (quietly: an edit, no post)."""
    text = (
        "This offer to file a support request has lapsed. To file one, use "
        f"*{DETAILS_BUTTON}* in the pinned message of this channel."
    )
    return Message(text=text, blocks=[context(text, block_id=Block.SHARED_PROMPT)])


def help_pin() -> Message:
    """The "Need help?" message pinned in each mapped shared channel."""
    text = (
        "*Need help? File a support request.* Describe the problem and choose its business "
        "impact; the support team answers in the request's own thread here. You can also "
        "write your question in this channel and pick its impact under it."
    )
    return Message(
        text="Need help? File a support request.",
        blocks=[section(text, block_id=Block.HELP_PIN), actions([details_button("pin")])],
    )


def customer_thread_opener(*, subject: str, requester_id: str, key: str | None = None) -> Message:
    """The top-level post in the shared channel whose thread a request filed from the modal
    lives in (its subject is the person's raw text)."""
    title = f"*{key}* · {escape(subject)}" if key else escape(subject)
    who = mention_user(requester_id) if requester_id else "You"
    text = f":inbox_tray: Support request from {who}: {title}\n{IN_THIS_THREAD}"
    return Message(text="A new support request.", blocks=[section(text)])


_REFUSALS = {
    PickRefusal.FILED: (
        "This message is already filed{key}: the support team answers in its thread."
    ),
    PickRefusal.NOT_YOURS: (
        "Only the person who wrote this message can file it from here. To file your own "
        f"request, use *{DETAILS_BUTTON}* in the pinned message, or write it in this channel."
    ),
    PickRefusal.EXPIRED: (
        "This offer to file a support request has lapsed. Write your question again, or use "
        f"*{DETAILS_BUTTON}* in the pinned message of this channel."
    ),
    PickRefusal.UNMAPPED: (
        "Support requests are no longer filed from this channel. Please ask your account team "
        "where to reach us."
    ),
}


def prompt_refusal(refusal: PickRefusal, *, key: str | None = None) -> Message:
    """Why a click on a prompt filed nothing (told only to the person who clicked)."""
    text = _REFUSALS[refusal].replace("{key}", f" as *{key}*" if key else "")
    return Message(text=text.replace("*", ""), blocks=[section(text)])
