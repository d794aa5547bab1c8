"""Use cases of the support desk, called by the Slack listeners and the scheduler."""
