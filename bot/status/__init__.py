"""Vendor status awareness: the Statuspage feed client and the poller that runs it."""
