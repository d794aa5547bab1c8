"""Pure support-desk rules: no Slack, no database, no wall clock."""
