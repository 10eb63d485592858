"""The phone-line workflow: a volunteer guided through a confidential call."""
