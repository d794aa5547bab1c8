"""Everything that speaks Slack: the Bolt app, listeners, surfaces and the messenger."""
