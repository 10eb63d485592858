"""A safety-screen file with a mistake is refused with a message that says exactly where and what:
the file, the question (by its id, or its number when it has none) or the rule (by its number),
the field, and the problem, in English for the log and in the person's language on the command
line and in the window. Whoever edits an organisation's protocol must be able to find the line.

Each case changes one thing in a small valid file; the expected English is written out in
full, and the French must carry the same file, entry and field with the problem translated."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from intake.i18n import _, current_language, set_language
from intake.safety import ANSWERS, KINDS, SIGNALS, Assessment, ScreenError, load_screen
from intake.services.data_files import describe_screen, describer

Q = (
    '[[question]]\nid = "q"\nsignal = "desire"\nask = { en = "Q?", fr = "Q ?" }\n'
    'ask_about_other = { en = "Q?", fr = "Q ?" }\n'
)
TEXT = 'ask = { en = "A?", fr = "A ?" }\nask_about_other = { en = "A?", fr = "A ?" }\n'
BUFFER = (
    '[[question]]\nid = "keeps"\nsignal = "buffer"\nkind = "choices"\n' + TEXT + "choices = ["
    '{ id = "family", en = "Family", fr = "Famille" }]\n'
)
PROMPT = '[[question]]\nid = "note"\nsignal = "context"\nkind = "prompt"\n' + TEXT
RULE = '[[rule]]\ntier = "high"\nwhen = { q = ["yes"] }\nwhy = { en = "a", fr = "b" }\n'
ALL_ANSWERS = ", ".join(ANSWERS)


def fr(text: str) -> str:
    """French typography: a non-breaking space before a colon and inside « »."""
    return text.replace(" :", "\u00a0:").replace("« ", "«\u00a0").replace(" »", "\u00a0»")


# (file text, where the mistake is (after the file), the problem in English)
CASES: list[tuple[str, str, str]] = [
    ("x = 1\n", "", "needs at least one [[question]]"),
    ("question = 5\n", "", "needs at least one [[question]]"),
    ("question = [1]\n", "question 1", "must be a table"),
    (Q + "[[question]]\nsignal = 'desire'\n", "question 2: field id", "needs an id"),
    (Q + "[[question]]\nid = ''\n", "question 2: field id", "needs an id"),
    (Q + Q, "question q: field id", "this id is used twice"),
    (
        Q.replace('"desire"', '"mood"'),
        "question q: field signal",
        f"must be one of {', '.join(SIGNALS)}",
    ),
    (
        Q.replace("ask =", 'kind = "scale"\nask ='),
        "question q: field kind",
        f"must be one of {', '.join(KINDS)}",
    ),
    (
        Q + 'kiosk = "yes"\n',
        "question q: field kiosk",
        "must be true or false, and true only on a yes-no question",
    ),
    (
        Q + PROMPT + "kiosk = true\n",
        "question note: field kiosk",
        "must be true or false, and true only on a yes-no question",
    ),
    (
        Q + BUFFER.replace('kind = "choices"\n', ""),
        "question keeps: field kind",
        "a buffer is answered in the person's own terms: its kind must be choices",
    ),
    (
        Q + BUFFER.split("choices = [")[0],
        "question keeps: field choices",
        "a choices question needs its choices",
    ),
    (
        Q + BUFFER.split("choices = [")[0] + "choices = []\n",
        "question keeps: field choices",
        "a choices question needs its choices",
    ),
    (
        Q + BUFFER.split("choices = [")[0] + "choices = 'family'\n",
        "question keeps: field choices",
        "a choices question needs its choices",
    ),
    (
        Q + BUFFER.replace("choices = [", "choices = [{ en = 'F', fr = 'F' }, "),
        "question keeps: field choices",
        "choice 1 needs an id, without commas",
    ),
    (
        Q + BUFFER.replace("choices = [", "choices = ['family', "),
        "question keeps: field choices",
        "choice 1 needs an id, without commas",
    ),
    (
        Q + BUFFER.replace('id = "family"', 'id = ""'),
        "question keeps: field choices",
        "choice 1 needs an id, without commas",
    ),
    (
        Q + BUFFER.replace('id = "family"', 'id = "family,friends"'),
        "question keeps: field choices",
        "choice 1 needs an id, without commas",
    ),
    (
        Q + BUFFER.replace("}]", "}, { id = 'work', en = 'Work' }]"),
        "question keeps: field choices",
        "choice work needs en and fr text",
    ),
    (
        Q + BUFFER.replace("}]", "}, { id = 'family', en = 'Kin', fr = 'Proches' }]"),
        "question keeps: field choices",
        "the choice ids must be unique",
    ),
    (Q.replace('fr = "Q ?" }\nask_about', 'fr = "" }\nask_about'), "question q: field ask", ""),
    (
        Q.replace("ask_about_other = {", "ask_about_other = 3 #"),
        "question q: field ask_about_other",
        "",
    ),
    (
        Q + PROMPT + "ask_if = {}\n",
        "question note: field ask_if",
        "must name at least one question",
    ),
    (
        Q + PROMPT + 'ask_if = { mood = ["yes"] }\n',
        "question note: field ask_if",
        "no question mood in this file",
    ),
    (
        Q + PROMPT + '[[question]]\nid = "then"\nsignal = "intent"\n' + TEXT + "ask_if = "
        '{ note = ["yes"] }\n',
        "question then: field ask_if",
        "note is not a yes-no question",
    ),
    (
        Q + PROMPT + 'ask_if = { q = "yes" }\n',
        "question note: field ask_if",
        f"the answers for q must be among {ALL_ANSWERS}",
    ),
    (
        Q + PROMPT + "ask_if = { q = [] }\n",
        "question note: field ask_if",
        f"the answers for q must be among {ALL_ANSWERS}",
    ),
    (
        Q + PROMPT + 'ask_if = { q = ["yes", "maybe"] }\n',
        "question note: field ask_if",
        f"the answers for q must be among {ALL_ANSWERS}",
    ),
    (PROMPT, "", "needs at least one yes-no question"),
    # Without a rule no answer could raise the tier: every call would read "none".
    (Q, "", "needs at least one [[rule]]: without one, no answer raises the tier"),
    (Q + "rule = []\n", "", "needs at least one [[rule]]: without one, no answer raises the tier"),
    ("rule = 5\n" + Q, "", "the rules must be [[rule]] tables"),
    ("rule = [1]\n" + Q, "rule 1", "must be a table"),
    (
        Q + RULE.replace('"high"', '"none"'),
        "rule 1: field tier",
        "must be concern, high or imminent",
    ),
    (
        Q + RULE.replace('tier = "high"\n', ""),
        "rule 1: field tier",
        "must be concern, high or imminent",
    ),
    (
        Q + RULE + RULE.replace('"high"', '"imminent"'),
        "rule 2: field tier",
        "the rules must go from the most to the least severe tier",
    ),
    (
        Q + RULE + RULE.replace('when = { q = ["yes"] }\n', ""),
        "rule 2: field when",
        "must name at least one question",
    ),
    (
        Q + RULE + RULE.replace('["yes"]', '["often"]'),
        "rule 2: field when",
        f"the answers for q must be among {ALL_ANSWERS}",
    ),
    # A buffer is never a yes-no question, so no rule can take it into account: what keeps a
    # person safe never lowers (nor sets) a tier.
    (
        Q + BUFFER + RULE.replace("q = ", "keeps = "),
        "rule 1: field when",
        "keeps is not a yes-no question",
    ),
    (Q + RULE + RULE.replace(', fr = "b"', ""), "rule 2: field why", "needs en and fr text"),
]
for _index, (_text, _where, _problem) in enumerate(CASES):
    if not _problem:  # the question's texts
        CASES[_index] = (_text, _where, "needs en and fr text")
# Plain ids: mutation testing selects a test by its id, and one with a newline, a space or
# brackets in it is never selected (its mutants would be counted as survivors).
IDS = [f"case{index}" for index in range(len(CASES))]


@pytest.fixture
def french() -> Iterator[None]:
    before = current_language()
    set_language("fr")
    yield
    set_language(before)


def _refusal(tmp_path: Path, text: str) -> tuple[Path, ScreenError]:
    path = tmp_path / "screen.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScreenError) as info:
        load_screen(path)
    return path, info.value


@pytest.mark.parametrize(("text", "where", "problem"), CASES, ids=IDS)
def test_a_mistake_is_named_where_it_is_in_english(
    tmp_path: Path, text: str, where: str, problem: str
) -> None:
    path, error = _refusal(tmp_path, text)
    expected = f"{path}: {where}: {problem}" if where else f"{path}: {problem}"
    assert str(error) == expected
    assert describe_screen(error) == (
        f"File: {path} · {_english_where(where)}: {problem}"
        if where
        else f"File: {path}: {problem}"
    )


def _english_where(where: str) -> str:
    """The window's and the command line's way of saying it: 'question “q” · field “id”'."""
    parts = []
    for part in where.split(": "):
        kind, name = part.split(" ", 1)
        if kind == "question" and not name.isdigit():
            parts.append(f"question “{name}”")
        elif kind == "field":
            parts.append(f"field “{name}”")
        else:
            parts.append(part)
    return " · ".join(parts)


def _french_where(where: str) -> str:
    parts = []
    for part in where.split(": "):
        kind, name = part.split(" ", 1)
        if kind == "question":
            parts.append(f"question {name}" if name.isdigit() else f"question « {name} »")
        elif kind == "rule":
            parts.append(f"règle {name}")
        else:
            parts.append(f"champ « {name} »")
    return fr(" · ".join(parts))


@pytest.mark.parametrize(("text", "where", "problem"), CASES, ids=IDS)
def test_a_mistake_is_named_where_it_is_in_french(
    tmp_path: Path, french: None, text: str, where: str, problem: str
) -> None:
    path, error = _refusal(tmp_path, text)
    said = describe_screen(error)
    head = fr("Fichier : ") + str(path) + (f" · {_french_where(where)}" if where else "")
    assert said.startswith(head + fr(" : "))
    translated = said.removeprefix(head + fr(" : "))
    assert translated
    assert translated != problem  # the problem is said in French, not left in English
    # Values quoted from the file are shown as written, in the French sentence too.
    for value in error.values.values():
        assert value in translated
    # The window says it the same way, at display time.
    shown = describer(error)
    assert shown is not None
    assert shown() == said


@pytest.mark.parametrize(
    ("text", "english", "french_text"),
    [
        (
            Q + RULE.replace('"high"', '"none"'),
            "rule 1 · field “tier”: must be concern, high or imminent",
            "règle 1 · champ « tier » : doit être concern, high ou imminent",
        ),
        (
            Q + PROMPT + 'ask_if = { mood = ["yes"] }\n',
            "question “note” · field “ask_if”: no question mood in this file",
            "question « note » · champ « ask_if » : aucune question mood dans ce fichier",
        ),
        (
            Q + BUFFER.replace("}]", "}, { id = 'work', en = 'Work' }]"),
            "question “keeps” · field “choices”: choice work needs en and fr text",
            "question « keeps » · champ « choices » : le choix work doit avoir un texte en et fr",
        ),
    ],
    ids=["tier", "ask-if", "choice-text"],
)
def test_the_command_line_says_where_in_the_persons_language(
    tmp_path: Path, text: str, english: str, french_text: str
) -> None:
    path = tmp_path / "screen.toml"
    path.write_text(text, encoding="utf-8")
    for lang, expected in (
        ("C.UTF-8", f"intake: File: {path} · {english}"),
        (
            "fr_CA.UTF-8",
            fr("intake : Fichier : ") + f"{path} · " + fr(french_text),
        ),
    ):
        done = subprocess.run(
            [sys.executable, "-m", "intake", "safety", "check", str(path)],
            capture_output=True,
            text=True,
            check=False,
            env={"PATH": "/usr/bin:/bin", "LANG": lang},
        )
        assert done.returncode == 2
        assert done.stderr.strip() == expected
        assert "Traceback" not in done.stderr


def test_a_file_that_cannot_be_read_says_why(tmp_path: Path) -> None:
    missing = tmp_path / "missing.toml"
    with pytest.raises(ScreenError) as info:
        load_screen(missing)
    assert str(info.value) == f"{missing}: the file was not found"
    with pytest.raises(ScreenError) as info:
        load_screen(tmp_path)
    assert str(info.value) == f"{tmp_path}: is a folder, not a file"
    latin = tmp_path / "latin.toml"
    latin.write_bytes("[[question]]\nid = 'pensées'\n".encode("latin-1"))
    with pytest.raises(ScreenError) as info:
        load_screen(latin)
    assert str(info.value) == f"{latin}: is not UTF-8 text"
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)  # reading it would wait for ever
    with pytest.raises(ScreenError) as info:
        load_screen(fifo)
    assert str(info.value) == f"{fifo}: is not an ordinary file (a device or a pipe, for instance)"
    beneath_a_file = latin / "screen.toml"  # a path through a file: the system refuses it
    with pytest.raises(ScreenError) as info:
        load_screen(beneath_a_file)
    assert str(info.value) == f"{beneath_a_file}: cannot be read (Not a directory)"
    with pytest.raises(ScreenError) as info:
        load_screen(Path("/dev/zero"))
    assert "not an ordinary file" in str(info.value)
    bad = tmp_path / "bad.toml"
    bad.write_text("[[question]\n", encoding="utf-8")
    with pytest.raises(ScreenError) as info:
        load_screen(bad)
    with pytest.raises(tomllib.TOMLDecodeError) as parser:
        tomllib.loads("[[question]\n")
    assert str(info.value) == f"{bad}: is not valid TOML ({parser.value})"  # the line and column


def test_a_file_that_cannot_be_read_says_why_in_french(tmp_path: Path, french: None) -> None:
    missing = tmp_path / "missing.toml"
    with pytest.raises(ScreenError) as info:
        load_screen(missing)
    assert describe_screen(info.value) == fr(f"Fichier : {missing} : le fichier est introuvable")
    with pytest.raises(ScreenError) as info:
        load_screen(tmp_path)
    assert describe_screen(info.value) == fr(f"Fichier : {tmp_path} : ") + _(
        "is a folder, not a file"
    )


def test_a_question_or_answer_the_screen_does_not_have_is_named(french: None) -> None:
    screen = load_screen()
    with pytest.raises(ScreenError) as info:
        screen.check_answers({"mood": "yes"})
    assert str(info.value) == "unknown question(s): mood"
    assert describe_screen(info.value) == fr("question(s) inconnue(s) : mood")
    with pytest.raises(ScreenError) as info:
        screen.check_answers({"plan": "maybe"})
    assert str(info.value) == f"plan: the answer must be one of {ALL_ANSWERS}"
    assert describe_screen(info.value) == fr(
        f"plan : la réponse doit être l’une de ces valeurs : {ALL_ANSWERS}"
    )
    assert screen.check_answers({"plan": "yes", "means": None}) is None
    with pytest.raises(ScreenError) as info:
        screen.question("no_such_question")
    assert str(info.value) == "unknown question: no_such_question"
    assert describe_screen(info.value) == fr("question inconnue : no_such_question")


def test_a_valid_protocol_is_read_as_written(tmp_path: Path) -> None:
    """Every field of a question and a rule is kept as the file says (a loader that dropped a
    choice's words or a follow-up's condition would change what a volunteer reads)."""
    path = tmp_path / "screen.toml"
    path.write_text(
        Q
        + "kiosk = true\n"
        + BUFFER.replace("}]", "}, { id = 'work', en = 'Work', fr = 'Travail' }]")
        + '[[question]]\nid = "then"\nsignal = "intent"\n'
        + TEXT
        + 'ask_if = { q = ["yes", "unsure"] }\n'
        + RULE,
        encoding="utf-8",
    )
    screen = load_screen(path)
    q, keeps, then = screen.questions
    assert (q.id, q.signal, q.kind, q.kiosk, q.ask_if, q.choices) == (
        "q",
        "desire",
        "yes-no",
        True,
        {},
        (),
    )
    assert (q.ask.en, q.ask.fr, q.ask_about_other.en) == ("Q?", "Q ?", "Q?")
    assert (keeps.signal, keeps.kind, keeps.kiosk) == ("buffer", "choices", False)
    assert [(c.id, c.text.en, c.text.fr) for c in keeps.choices] == [
        ("family", "Family", "Famille"),
        ("work", "Work", "Travail"),
    ]
    assert then.ask_if == {"q": frozenset({"yes", "unsure"})}
    assert (then.ask.en, then.ask_about_other.fr) == ("A?", "A ?")
    assert screen.kiosk_questions == (q,)
    (rule,) = screen.rules
    assert (rule.tier, rule.when, rule.why.en, rule.why.fr) == (
        "high",
        {"q": frozenset({"yes"})},
        "a",
        "b",
    )


def test_a_kiosk_is_told_only_of_the_questions_it_asks() -> None:
    """The kiosk asks fewer questions: what is still open is counted among those only (a
    question it never asks is not "not asked"), and the route may open once they are answered."""
    screen = load_screen()
    kiosk = [q.id for q in screen.kiosk_questions]
    answers = {"thoughts": "yes"}
    everywhere = screen.assess(answers)
    at_kiosk = screen.assess(answers, asked=kiosk)
    assert set(at_kiosk.not_asked) <= set(kiosk)
    assert set(at_kiosk.not_asked) < set(everywhere.not_asked)
    assert at_kiosk.tier == everywhere.tier
    all_no = {qid: "no" for qid in kiosk}
    assert screen.assess(all_no, asked=kiosk).not_asked == ()
    assert screen.assess(all_no, asked=kiosk).capability_asked
    assert screen.assess(all_no).not_asked != ()


def test_a_screen_with_no_answer_is_not_screened_and_says_only_what_is_open() -> None:
    """Nothing answered: no reasons, nothing to ask again or declined, every question that
    applies still open, the route not opened by itself."""
    screen = load_screen()
    open_questions = tuple(q.id for q in screen.questions if q.answerable and q.applies({}))
    assert screen.assess({}) == Assessment("not-screened", (), (), (), open_questions, False, False)
    assert screen.assess({"plan": None}) == screen.assess({})
    assert screen.tier({}) == "not-screened"
    assert screen.matching_rule({}) is None
    assert not screen.assess({}).opens_crisis


def test_the_route_waits_for_every_capability_and_every_intent_question() -> None:
    """ "Capability asked" means each capability question and each intent question that applies
    has an answer: one of either kind left open keeps it false."""
    screen = load_screen()
    kinds = {q.id: q.signal for q in screen.questions if q.answerable and q.applies({})}
    capability = [qid for qid, signal in kinds.items() if signal == "capability"]
    intent = [qid for qid, signal in kinds.items() if signal == "intent"]
    assert capability
    assert intent
    every = dict.fromkeys(capability + intent, "no")
    assert screen.assess(every).capability_asked
    for missing in (capability[0], intent[0]):
        assert not screen.assess({q: a for q, a in every.items() if q != missing}).capability_asked


@pytest.mark.parametrize(
    ("answer", "under_way"), [("yes", True), ("unsure", True), ("declined", True), ("no", False)]
)
def test_an_attempt_that_may_be_under_way_opens_the_route_at_once(
    answer: str, under_way: bool
) -> None:
    assessment = load_screen().assess({"thoughts": "yes", "in_progress": answer})
    assert assessment.in_progress is under_way
    assert assessment.opens_crisis is under_way  # before the other questions are answered


def test_the_reasons_are_every_rule_that_matched_at_the_tier_found() -> None:
    screen = load_screen()
    answers = {"thoughts": "yes", "plan": "yes", "in_progress": "yes", "means": "yes"}
    assessment = screen.assess(answers)
    expected = tuple(r for r in screen.rules if r.matches(answers) and r.tier == assessment.tier)
    assert assessment.tier == "imminent"
    assert assessment.reasons == expected
    assert len(expected) >= 1
    assert all(r.tier == "imminent" for r in assessment.reasons)
    lower = [r for r in screen.rules if r.matches(answers) and r.tier != "imminent"]
    assert lower  # rules at lower tiers matched too, and are not given as the reason
    assert screen.matching_rule(answers) == expected[0]


def test_unknown_questions_are_all_named() -> None:
    with pytest.raises(ScreenError) as info:
        load_screen().check_answers({"zeta": "yes", "mood": "no", "plan": "no"})
    assert str(info.value) == "unknown question(s): mood, zeta"
