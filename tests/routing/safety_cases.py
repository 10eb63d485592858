"""What an experienced 9-8-8 supervisor expects from the safety screen, written from the standard
(/work/shared/reference/suicide-risk-standard.md: Joiner et al. 2007, the Lifeline imminent-risk
policy, Gould et al. 2007) before the rules were rewritten. Each case: the answers, the tier a
supervisor would sign off, and why. Questions not listed were not asked.

Question ids: thoughts, harm_others, in_progress, plan, timing, means, medication_access,
intoxicated (under the influence right now), past_attempt, attempt_recent (within the last year),
hopeless (hopeless or a burden), stressor (licensing complaint or recent loss), unsafe_now.
Answers: yes, no, unsure (asked again; meanwhile not taken as no), declined (would rather not say).
"""

from __future__ import annotations

Case = tuple[dict[str, str], str, str]

CASES: list[Case] = [
    # --- nothing answered: not screened, never "no risk identified" ---------------------------
    ({}, "not-screened", "no question answered: the screen was not done"),
    # --- no risk -------------------------------------------------------------------------------
    ({"thoughts": "no"}, "none", "asked directly, denied, nothing else disclosed"),
    (
        {"thoughts": "no", "in_progress": "no", "plan": "no", "timing": "no", "means": "no"},
        "none",
        "every intent and capability question answered no",
    ),
    (
        {"thoughts": "no", "medication_access": "yes"},
        "none",
        "a physician's access alone is not risk",
    ),
    ({"thoughts": "no", "stressor": "yes"}, "none", "a complaint alone is noted, not a tier"),
    (
        {"thoughts": "no", "intoxicated": "declined"},
        "none",
        "declined on a non-key item: noted only",
    ),
    # --- concern: desire without intent or capability ------------------------------------------
    ({"thoughts": "yes"}, "concern", "thoughts of suicide alone: keep listening, offer 9-8-8"),
    ({"thoughts": "unsure"}, "concern", "unsure is not no: asked again, concern meanwhile"),
    ({"thoughts": "declined"}, "concern", "declining the direct question is not a no"),
    ({"thoughts": "yes", "plan": "no", "timing": "no", "means": "no"}, "concern", "desire only"),
    ({"thoughts": "no", "past_attempt": "yes", "attempt_recent": "no"}, "concern", "old attempt"),
    (
        {"thoughts": "yes", "past_attempt": "yes", "attempt_recent": "no"},
        "concern",
        "thoughts with an attempt years ago: not high on that alone (over-triage fixed)",
    ),
    ({"thoughts": "no", "hopeless": "yes"}, "concern", "hopelessness or burden is desire"),
    (
        {"thoughts": "no", "means": "yes"},
        "concern",
        "means at hand is capability, whatever thoughts",
    ),
    ({"thoughts": "no", "intoxicated": "yes"}, "concern", "current intoxication is capability"),
    ({"harm_others": "declined"}, "concern", "declining to say about harming others"),
    ({"thoughts": "yes", "medication_access": "yes"}, "concern", "access without plan or time"),
    # --- high: intent, or desire with capability ------------------------------------------------
    ({"thoughts": "no", "plan": "yes"}, "high", "people deny ideation and disclose a plan"),
    ({"plan": "declined"}, "high", "declining the plan question is not a no"),
    ({"thoughts": "yes", "plan": "yes"}, "high", "thoughts with a plan"),
    ({"thoughts": "no", "timing": "yes"}, "high", "thinking of acting soon, whatever thoughts"),
    ({"timing": "declined"}, "high", "declining the timing question is not a no"),
    ({"thoughts": "yes", "means": "yes"}, "high", "desire and means at hand"),
    ({"thoughts": "yes", "means": "declined"}, "high", "declined on means counts as yes"),
    ({"thoughts": "yes", "intoxicated": "yes"}, "high", "desire and current intoxication"),
    (
        {"thoughts": "yes", "past_attempt": "yes", "attempt_recent": "yes"},
        "high",
        "desire and an attempt in the last year",
    ),
    ({"harm_others": "yes"}, "high", "thoughts of harming someone else"),
    ({"unsafe_now": "yes"}, "high", "does not feel able to stay safe right now"),
    (
        {"thoughts": "yes", "hopeless": "yes", "stressor": "yes"},
        "high",
        "desire, hopelessness and a licensing complaint or recent loss together",
    ),
    ({"thoughts": "no", "plan": "yes", "means": "yes"}, "high", "plan and means, thoughts denied"),
    (
        {"thoughts": "no", "past_attempt": "yes", "plan": "yes", "means": "yes"},
        "high",
        "plan, means and a past attempt, thoughts denied (was concern)",
    ),
    # --- imminent: an attempt in progress, or a time with the means at hand ---------------------
    ({"in_progress": "yes"}, "imminent", "an attempt in progress, always"),
    ({"thoughts": "no", "in_progress": "yes"}, "imminent", "in progress whatever thoughts"),
    ({"in_progress": "unsure"}, "imminent", "unsure whether something was taken: not a no"),
    ({"in_progress": "declined"}, "imminent", "declined on in progress counts as yes"),
    (
        {"thoughts": "no", "plan": "yes", "timing": "yes", "means": "yes"},
        "imminent",
        "a plan with a time and means at hand (was none)",
    ),
    ({"timing": "yes", "means": "yes"}, "imminent", "a time and the means at hand"),
    ({"timing": "yes", "intoxicated": "yes"}, "imminent", "a time and intoxicated now (was none)"),
    ({"timing": "declined", "means": "declined"}, "imminent", "declined on both key items"),
    (
        {"thoughts": "yes", "plan": "yes", "timing": "yes", "medication_access": "yes"},
        "imminent",
        "a plan and a time, with a physician's access to medications",
    ),
    ({"unsafe_now": "yes", "plan": "yes"}, "imminent", "not able to stay safe, with a plan"),
    (
        {
            "thoughts": "yes",
            "in_progress": "yes",
            "plan": "no",
            "timing": "no",
            "means": "no",
        },
        "imminent",
        "an attempt in progress is imminent even with no plan",
    ),
    (
        dict.fromkeys(
            (
                "thoughts",
                "in_progress",
                "plan",
                "timing",
                "means",
                "intoxicated",
                "past_attempt",
            ),
            "unsure",
        ),
        "imminent",
        "all unsure: in progress is not ruled out (was concern)",
    ),
]
