"""The coded values shared by the directory, the routing and the command line.

Kept in a module with no imports so that building the command-line parser (part of every start,
the GUI's included) costs nothing.
"""

MODES = ("one-on-one", "group")
CHANNELS = ("phone", "virtual", "in-person", "text")
NEEDS = ("peer", "counselling", "mentorship", "coaching", "information")
RISKS = ("none", "concern", "high", "imminent")
# What the call is about (the call records them; routing uses them for topic-specific programs).
TOPICS = (
    "burnout",
    "complaint",
    "adverse-outcome",
    "relationships",
    "grief",
    "substance-use",
    "mental-health",
    "career",
    "harassment",
)
