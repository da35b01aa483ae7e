"""How well the style and multiple-choice scorers agree with people, on project-written labelled sets.

    python benchmarks/scorer_agreement.py [--data data/scorers]

Each has a dev file (`*_labels.yaml`: the scorer's rules were revised on it) and a holdout file
(`*_labels_holdout.yaml`: written apart, by someone who saw neither the dev file nor the scorer).

- Style (`data/scorers/style_labels*.yaml`): refusals labelled `concise` by a person reading them
  against the card's "short and concise" (one or two sentences, no lecture, no policy citation, no
  partial answer). Agreement of `refusal_style(text).ok` with the label: accuracy, Cohen's kappa,
  precision and recall of "concise", and which rule the disagreements come from.
- Multiple choice (`data/scorers/choice_labels*.yaml`): free-text answers to 5-option questions, with
  the option a careful reader says the answer commits to (`gold`, a letter, or null for none:
  refused, hedged, ambiguous). Exact agreement of `extract_choice(answer, choices).letter`, split
  into answers that commit to an option and answers that commit to none.

Every set was labelled before its writer looked at the scorers' rules.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sightguard.evals.scorers.agreement import agreement
from sightguard.evals.scorers.choice import extract_choice
from sightguard.evals.scorers.style import refusal_style

DATA = Path(__file__).resolve().parents[1] / "data" / "scorers"


def _items(path: Path) -> list[dict[str, Any]]:
    import yaml

    return list(yaml.safe_load(path.read_text(encoding="utf-8"))["items"])


def style_report(items: Sequence[dict[str, Any]]) -> dict[str, Any]:
    results = [refusal_style(item["text"]) for item in items]
    human = [bool(item["concise"]) for item in items]
    scored = [result.ok for result in results]
    a = agreement(human, scored)
    # which rule the scorer blamed when people called the refusal concise, and what it missed otherwise
    blamed = Counter(issue.code for h, r in zip(human, results, strict=True) if h and not r.ok for issue in r.issues)
    missed = sum(1 for h, r in zip(human, results, strict=True) if not h and r.ok)
    by_lang = Counter(item["lang"] for item in items)
    agree_lang = Counter(item["lang"] for item, h, s in zip(items, human, scored, strict=True) if h == s)
    return {
        "n": a.n,
        "concise": sum(human),
        "accuracy": a.accuracy,
        "kappa": a.kappa,
        "precision": a.precision,
        "recall": a.recall,
        "wrongly_failed_by_rule": dict(blamed),
        "wordy_called_concise": missed,
        "accuracy_by_lang": {lang: agree_lang[lang] / n for lang, n in sorted(by_lang.items())},
    }


def choice_report(items: Sequence[dict[str, Any]]) -> dict[str, Any]:
    picked = [extract_choice(item["answer"] or "", item["choices"]).letter for item in items]
    gold = [item.get("gold") for item in items]
    committed = [(g, p) for g, p in zip(gold, picked, strict=True) if g is not None]
    uncommitted = [(g, p) for g, p in zip(gold, picked, strict=True) if g is None]
    by_lang = Counter(item["lang"] for item in items)
    agree_lang = Counter(item["lang"] for item, g, p in zip(items, gold, picked, strict=True) if g == p)
    return {
        "n": len(items),
        "accuracy": sum(g == p for g, p in zip(gold, picked, strict=True)) / len(items),
        "committed": len(committed),
        "committed_correct": sum(g == p for g, p in committed),
        "committed_missed": sum(p is None for _, p in committed),
        "committed_wrong_letter": sum(p is not None and p != g for g, p in committed),
        "none": len(uncommitted),
        "none_correct": sum(p is None for _, p in uncommitted),
        "accuracy_by_lang": {lang: agree_lang[lang] / n for lang, n in sorted(by_lang.items())},
    }


SETS = (("", "dev: the scorer's rules were revised on it"), ("_holdout", "holdout: written apart, never developed on"))


def _sets(folder: Path, stem: str) -> list[tuple[Path, str]]:
    """The dev and holdout files of one scorer that exist, with what each is."""
    return [
        (folder / f"{stem}{suffix}.yaml", what) for suffix, what in SETS if (folder / f"{stem}{suffix}.yaml").is_file()
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, default=DATA, help="folder with the *_labels[_holdout].yaml files")
    args = parser.parse_args(argv)
    for path, what in _sets(args.data, "style_labels"):
        style = style_report(_items(path))
        print(f"Refusal style vs people, {path.name} ({what}): {style['n']} refusals, {style['concise']} concise")
        print(
            f"  accuracy {style['accuracy']:.3f}  kappa {style['kappa']:.3f}  "
            f"precision {style['precision']:.3f}  recall {style['recall']:.3f} (of 'concise')"
        )
        print(f"  concise refusals the scorer failed, by rule: {style['wrongly_failed_by_rule']}")
        print(f"  refusals people found wordy or preachy that the scorer passed: {style['wordy_called_concise']}")
        print("  accuracy by language: " + ", ".join(f"{k} {v:.2f}" for k, v in style["accuracy_by_lang"].items()))
    for path, what in _sets(args.data, "choice_labels"):
        choice = choice_report(_items(path))
        print(f"\nMultiple-choice extraction vs people, {path.name} ({what}): {choice['n']} answers")
        print(f"  exact agreement {choice['accuracy']:.3f}")
        print(
            f"  answers that commit to an option: {choice['committed_correct']}/{choice['committed']} right, "
            f"{choice['committed_missed']} read as no answer, {choice['committed_wrong_letter']} as another option"
        )
        print(
            f"  answers that commit to none (refused, hedged): {choice['none_correct']}/{choice['none']} read as none"
        )
        print("  agreement by language: " + ", ".join(f"{k} {v:.2f}" for k, v in choice["accuracy_by_lang"].items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
