"""``choice``: one of listed options (multiple choice, true/false), or several (select all that apply).

YAML::

    - id: 6a
      prompt: Which activation lets gradients through unchanged for positive inputs? (a) sigmoid (b) ReLU (c) tanh
      type: choice
      choices:
        - {id: a, text: sigmoid, feedback: Sigmoid saturates; its derivative is at most 1/4.}
        - {id: b, text: ReLU}
        - {id: c, text: tanh, labels: [tangens hyperbolicus], feedback: tanh also saturates for large inputs.}
      answer: b                   # one option; a list ([a, c]) for select-all-that-apply

    - id: 6b
      prompt: True or false? Dropout is used at test time.
      type: choice
      choices: [{id: "true"}, {id: "false", feedback: At test time the full network is used (inverted dropout).}]
      answer: "false"

Reading an answer: an option written as ``(b)``, ``b)``, ``b.``, ``[b]``, ``Answer: B``, ``option b``,
``вариант b``, a lone ``b``; else the option's text or one of its labels (``ReLU``).  Options whose
id or text is true/false/yes/no also accept ``верно/неверно``, ``да/нет``, ``richtig/falsch``,
``wahr``, ``ja/nein``, ``درست/نادرست``, ``صحیح/غلط``, ``بله/خیر`` (``not true`` is false).  Explicit
option letters win over option texts mentioned in an explanation.  An answer that names two
different options for a single-answer part is read as its first option with the other as an
alternative reading, so a person decides instead of the grader guessing.

Credit: one answer: right or wrong; a wrong option gets that option's ``feedback`` (feedback id
``choice-<id>``).  Select-all (a list reference): ``entry_credit: all_or_nothing`` (default) gives
credit only for exactly the right set; ``entry_credit: proportional`` gives
``max(0, right picks − wrong picks) / number of right options``; feedback id ``wrong-selection``.

Reference: an option id (case does not matter) or an option's exact text; a list of them for
select-all.  ``show`` writes ``(b) ReLU``; ``value_of`` gives the id (a sorted list for select-all).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from grader.answers.base import Check, Parsed, ParseFailure, ReferenceValueError
from grader.answers.mathtext import MAX_ANSWER_CHARS, clean_math_text
from grader.answers.registry import register
from grader.answers.solver_backed import SolverBacked
from grader.answers.structured import label_regex
from grader.problems.models import ChoiceOption, Part

_TRUE = ("true", "yes", "correct", "right", "верно", "правильно", "правда", "да", "richtig", "wahr", "ja", "stimmt",
         "vrai", "oui", "درست", "صحیح", "بله", "آری")
_FALSE = ("false", "no", "incorrect", "wrong", "неверно", "неправильно", "ложь", "нет", "falsch", "nein", "faux", "non",
          "نادرست", "غلط", "خیر", "نه")
_NEGATION = r"(?:not|nicht|не|نه)\s+"
_MARKER = r"(?:final\s+answer|answer|ans|option|choice|ответ|вариант|antwort|variante|réponse|پاسخ|جواب|گزینه)"
#: Cyrillic letters that OCR (or a Russian keyboard) puts for the Latin option letters they look like
_LOOKALIKE = {"а": "a", "с": "c", "А": "a", "С": "c"}
_LOOKALIKE_LETTER = re.compile(r"(?<![^\W\d_])[асАС](?![^\W\d_])")


@dataclass(frozen=True)
class ChoiceKey:
    """The right option ids; ``multi`` for select-all-that-apply."""

    ids: frozenset[str]
    multi: bool


def _is_truth(option: ChoiceOption, words: Sequence[str]) -> bool:
    return option.id.lower() in words[:2] or option.text.strip().lower() in words[:2]


class ChoiceType(SolverBacked):
    name = "choice"
    #: in free-form files, the whole answer (not only its last value) should be tried first
    reads_whole_answer = True

    def validate_part(self, *, part: Part) -> list[str]:
        problems = super().validate_part(part=part)
        if len(part.choices) < 2:
            problems.append("a 'choice' part needs at least two 'choices': [{id: a, text: ...}, {id: b, text: ...}]")
        ids = [c.id.lower() for c in part.choices]
        for dup in sorted({i for i in ids if ids.count(i) > 1}):
            problems.append(f"the choice id {dup!r} is used twice (ids are compared without case)")
        texts = [c.text.strip().lower() for c in part.choices if c.text.strip()]
        for dup in sorted({t for t in texts if texts.count(t) > 1}):
            problems.append(f"two choices have the text {dup!r}")
        return problems

    # --- reading ---------------------------------------------------------------------------------------

    def parse(self, *, text: str, part: Part, reference: Any) -> Parsed | ParseFailure:
        cleaned = clean_math_text(text[:MAX_ANSWER_CHARS]).strip()
        low = cleaned.lower()
        found = self._by_id(low, part)
        how = "letter"
        if not found:
            found = self._by_words(low, part)
            how = "text"
        if not found:
            return ParseFailure(f"could not find one of the options ({', '.join(c.id for c in part.choices)}) "
                                f"in {cleaned[:80]!r}")
        ids = list(dict.fromkeys(found))
        multi = isinstance(reference, ChoiceKey) and reference.multi
        notes: list[str] = []
        if multi:
            value = frozenset(ids)
            return Parsed(value=value, shown=self._shown(sorted(value), part))
        alternatives = tuple(frozenset({i}) for i in ids[1:])
        if alternatives:
            notes.append(f"the answer names {len(ids)} different options ({', '.join(ids)}); the first was graded")
        if how == "text" and len(ids) == 1:
            notes.append("option recognised from its text")
        return Parsed(value=frozenset({ids[0]}), shown=self._shown([ids[0]], part), notes=tuple(notes),
                      alternatives=alternatives, ambiguity="the answer names more than one option")

    @staticmethod
    def _by_id(low: str, part: Part) -> list[str]:
        ids = {c.id.lower(): c.id for c in part.choices}
        pattern = "|".join(re.escape(i) for i in sorted(ids, key=len, reverse=True))
        text = _LOOKALIKE_LETTER.sub(lambda m: _LOOKALIKE[m.group(0)], low) if all(len(i) == 1 for i in ids) else low
        bare = re.sub(r"[\s*_.:;!)(\[\]]+", "", text)
        if bare in ids:
            return [ids[bare]]
        listed = re.fullmatch(rf"\s*[(\[]?({pattern})[)\]]?(?:\s*(?:,|;|&|/|\s|\band\b|\bund\b|\bи\b|و)\s*[(\[]?"
                              rf"(?:{pattern})[)\]]?){{1,20}}\s*", text)
        if listed:  # "a, c" / "a and c" / "(a) (c)"
            return [ids[m] for m in re.findall(rf"(?<![\w])({pattern})(?![\w])", text)]
        forms = [rf"[(\[]\s*({pattern})\s*[)\]]", rf"(?:^|(?<=\s))({pattern})\)", rf"^({pattern})[.:]\s",
                 rf"{_MARKER}\s*\**\s*[:：.\-—=]?\s*\**\s*[(\[]?\s*({pattern})(?![\w])"]
        words = [i for i in ids if len(i) > 1 and i not in _TRUE and i not in _FALSE]  # true/false: read as words
        if words:
            forms.append(rf"(?<![\w])({'|'.join(re.escape(w) for w in sorted(words, key=len, reverse=True))})(?![\w])")
        hits: list[tuple[int, str]] = []
        for form in forms:
            for match in re.finditer(form, text):
                hits.append((match.start(1), ids[match.group(1)]))
        return [i for _, i in sorted(hits)]

    @staticmethod
    def _by_words(low: str, part: Part) -> list[str]:
        hits: list[tuple[int, str]] = []
        truth: dict[str, str | None] = {"true": None, "false": None}
        for option in part.choices:
            if _is_truth(option, _TRUE):
                truth["true"] = option.id
            elif _is_truth(option, _FALSE):
                truth["false"] = option.id
        for option in part.choices:
            words = [w for w in (option.text, *option.labels) if w.strip()]
            for word in words:
                for match in re.finditer(label_regex(word) if len(word) < 40 else re.escape(word.lower()), low):
                    hits.append((match.start(), option.id))
        if truth["true"] and truth["false"]:
            for polarity, words in (("true", _TRUE), ("false", _FALSE)):
                for word in words:
                    for match in re.finditer(rf"(?<!\w)({_NEGATION})?{re.escape(word)}(?!\w)", low):
                        meant = polarity if not match.group(1) else ("false" if polarity == "true" else "true")
                        hits.append((match.start(), truth[meant]))
        return [i for _, i in sorted(hits)]

    @staticmethod
    def _shown(ids: Sequence[str], part: Part) -> str:
        texts = {c.id: c.text for c in part.choices}
        return ", ".join(f"({i}) {texts.get(i, '')}".strip() for i in ids)

    # --- comparing -------------------------------------------------------------------------------------

    def check(self, *, parsed: Parsed, reference: Any, part: Part, seed: int) -> Check:
        given: frozenset[str] = parsed.value
        right = reference.ids
        if given == right:
            return Check(verdict="correct", credit=1.0, feedback="Correct.")
        options = {c.id: c for c in part.choices}
        if not reference.multi:
            (picked,) = sorted(given)[:1] or ("",)
            option = options.get(picked)
            feedback = option.feedback if option and option.feedback else f"({picked}) is not the answer."
            return Check(verdict="incorrect", credit=0.0, feedback=feedback, feedback_id=f"choice-{picked}")
        extra, missing = sorted(given - right), sorted(right - given)
        credit = 0.0
        if part.entry_credit == "proportional":
            credit = max(0.0, (len(given & right) - len(extra)) / len(right))
        parts = []
        if missing:
            parts.append(f"also right: {', '.join(f'({i})' for i in missing)}")
        if extra:
            parts.append(f"not right: {', '.join(f'({i})' for i in extra)}")
        explanations = [options[i].feedback for i in extra if options.get(i) and options[i].feedback]
        feedback = "Not the right selection (" + "; ".join(parts) + ")." + "".join(f" {e}" for e in explanations)
        return Check(verdict="partial" if credit > 0 else "incorrect", credit=credit, feedback=feedback,
                     feedback_id="wrong-selection")

    # --- references ------------------------------------------------------------------------------------

    def reference_value(self, *, value: Any, part: Part) -> Any:
        return self.coerce(value=value, part=part)

    def coerce(self, *, value: Any, part: Part) -> Any:
        if isinstance(value, ChoiceKey):
            return value
        multi = isinstance(value, (list, tuple, set, frozenset))
        items = list(value) if multi else [value]
        if multi and not items:
            raise ReferenceValueError("a select-all reference needs at least one option id")
        ids = []
        for item in items:
            ids.append(self._option_id(item, part))
        return ChoiceKey(ids=frozenset(ids), multi=multi)

    @staticmethod
    def _option_id(item: Any, part: Part) -> str:
        if isinstance(item, bool):
            item = "true" if item else "false"
        text = str(item).strip()
        for option in part.choices:
            if text.lower() == option.id.lower() or (option.text and text.lower() == option.text.strip().lower()):
                return option.id
        raise ReferenceValueError(f"{text!r} is not one of the choices ({', '.join(c.id for c in part.choices) or 'none given'})")

    def value_of(self, *, parsed: Parsed) -> Any:
        ids = sorted(parsed.value)
        return ids[0] if len(ids) == 1 else ids

    def show(self, *, value: Any, part: Part) -> str:
        return self._shown(sorted(value.ids), part)


register(ChoiceType())
