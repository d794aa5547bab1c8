"""Says in Slack what intake in shared channels decided (the `SharedChannels` port).

Prompts and answers go into the thread of the customer's message, as soon as the channel's
slot is free (someone waits for them); the help message and the desk's notice take their
channel's turn. Slack's failures leave as `DeliveryFailed`.
"""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.clock import Clock
from bot.domain.model import ConversationRef, Request
from bot.domain.requests import Priority
from bot.domain.shared_prompts import PromptOffer, SharedPrompt
from bot.domain.sla import SlaPolicy, target_phrase
from bot.slack.channel_posts import edit_in_place, post_in_turn
from bot.slack.deps import SlackDeps
from bot.slack.errors import delivering
from bot.slack.pacing import ChannelPacer
from bot.slack.surfaces.blocks import Message
from bot.slack.surfaces.shared_prompts import filed_answer, help_pin, impact_prompt, lapsed_prompt
from bot.slack.surfaces.unmapped_channels import unmapped_notice


class SlackSharedChannels:
    """Posts in customers' shared channels, and the desk's notice in the support channel."""

    def __init__(
        self,
        *,
        client: WebClient,
        pacer: ChannelPacer,
        clock: Clock,
        policy: SlaPolicy,
        support_channel_id: str,
    ) -> None:
        self.client = client
        self.pacer = pacer
        self.clock = clock
        self.policy = policy
        self.support_channel_id = support_channel_id

    @delivering
    def offer_impacts(self, prompt: SharedPrompt, offer: PromptOffer) -> str:
        """The prompt in the customer's thread, each impact with its target as of now."""
        return self._reply(prompt, impact_prompt(prompt.id, offer, self.impact_phrases()))

    @delivering
    def tell_filed(self, prompt: SharedPrompt, request: Request, offer: PromptOffer) -> str:
        """Rewrite the prompt to say what was filed, or answer in the thread when none is."""
        message = filed_answer(request, offer)
        if prompt.prompt_ts is None:
            return self._reply(prompt, message)
        edit_in_place(self.client, ConversationRef(prompt.channel_id, prompt.prompt_ts), message)
        return prompt.prompt_ts

    @delivering
    def close_prompt(self, prompt: SharedPrompt) -> None:
        if prompt.prompt_ts is not None:
            where = ConversationRef(prompt.channel_id, prompt.prompt_ts)
            edit_in_place(self.client, where, lapsed_prompt())

    @delivering
    def post_help(self, channel_id: str) -> str:
        return post_in_turn(self.client, self.pacer, channel_id, help_pin()).ts

    @delivering
    def pin(self, channel_id: str, message_ts: str) -> None:
        try:
            self.client.pins_add(channel=channel_id, timestamp=message_ts)
        except SlackApiError as error:
            if error.response.get("error") != "already_pinned":
                raise

    @delivering
    def notice_unmapped(self, channel_id: str, team_id: str | None) -> None:
        message = unmapped_notice(channel_id, team_id)
        post_in_turn(self.client, self.pacer, self.support_channel_id, message)

    def impact_phrases(self) -> dict[Priority, str]:
        """Each impact's first-response target for a request filed now."""
        now, policy = self.clock.now(), self.policy
        return {
            priority: target_phrase(
                priority, now, policy.calendar, target=policy.terms.first_response[priority]
            )
            for priority in Priority
        }

    def _reply(self, prompt: SharedPrompt, message: Message) -> str:
        self.pacer.wait_for_slot(prompt.channel_id)
        response = self.client.chat_postMessage(
            channel=prompt.channel_id,
            thread_ts=prompt.message_ts,
            text=message.text,
            blocks=message.blocks,
            unfurl_links=False,
            unfurl_media=False,
        )
        return str(response["ts"])


def shared_channels(deps: SlackDeps, client: WebClient) -> SlackSharedChannels:
    """The port for a listener: the desk's clock, policy and channels, the listener's client."""
    desk = deps.desk
    return SlackSharedChannels(
        client=client,
        pacer=deps.messenger.pacer,
        clock=desk.clock,
        policy=desk.policy,
        support_channel_id=desk.routing.support_channel_id,
    )
