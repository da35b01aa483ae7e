"""The project-written moderation corpus (data/moderation/*.yaml): load, validate, split.

A file holds groups; a group is one intent written several ways (and in several languages).
Groups, not texts, are assigned to a split, by a hash of "file:id", so a paraphrase of a
development example never sits in training. A group with `of: "file:id"` adds texts (translations,
more phrasings) to that group from another file: it takes the source group's key, so its split and
cross-validation fold, and must carry the same labels.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml

from .taxonomy import CATEGORIES, parent

Split = Literal["train", "dev"]
LANGUAGES = ("en", "es", "zh", "fr", "de")
DEV_SHARE = 0.2


@dataclass(frozen=True)
class Example:
    text: str
    labels: frozenset[str]
    lang: str
    group: str  # "file:id"
    kind: str
    split: Split
    extends: bool = False  # from an `of:` group in another file


class CorpusError(ValueError):
    pass


def split_of(group: str) -> Split:
    digest = int.from_bytes(hashlib.sha256(group.encode()).digest()[:8], "big")
    return "dev" if digest / 2**64 < DEV_SHARE else "train"


def _text_and_lang(entry: object, where: str) -> tuple[str, str]:
    if isinstance(entry, str):
        return entry, "en"
    if isinstance(entry, dict) and len(entry) == 1:
        ((lang, text),) = entry.items()
        if lang in LANGUAGES and isinstance(text, str):
            return text, lang
    raise CorpusError(f"{where}: a text is a string or a one-key mapping {{lang: text}} with lang in {LANGUAGES}")


def _labels(raw: object, where: str) -> frozenset[str]:
    if not isinstance(raw, list):
        raise CorpusError(f"{where}.labels: must be a list")
    labels = set()
    for label in raw:
        if label not in CATEGORIES:
            raise CorpusError(f"{where}.labels: unknown category {label!r}")
        labels.add(label)
        if (head := parent(label)) is not None:
            labels.add(head)  # a subcategory implies its parent, even when the author forgot it
    return frozenset(labels)


def load_file(path: Path) -> list[Example]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise CorpusError(f"{path}: not valid YAML: {exc}") from exc
    groups = data.get("groups") if isinstance(data, dict) else None
    if not isinstance(groups, list):
        raise CorpusError(f"{path}: top level must be a mapping with a 'groups' list")
    examples: list[Example] = []
    seen: set[str] = set()
    for i, group in enumerate(groups):
        where = f"{path.name}: groups[{i}]"
        if not isinstance(group, dict) or not isinstance(group.get("id"), str):
            raise CorpusError(f"{where}: needs an 'id'")
        if group["id"] in seen:
            raise CorpusError(f"{where}: duplicate id {group['id']!r}")
        seen.add(group["id"])
        key = f"{path.stem}:{group['id']}"
        if "of" in group:
            if not isinstance(group["of"], str) or group["of"].count(":") != 1:
                raise CorpusError(f"{where}.of: must be 'file:id' of the group it extends")
            key = group["of"]
        labels = _labels(group.get("labels"), where)
        texts = group.get("texts")
        if not isinstance(texts, list) or not texts:
            raise CorpusError(f"{where}.texts: must be a non-empty list")
        for entry in texts:
            text, lang = _text_and_lang(entry, f"{where}.texts")
            kind = str(group.get("kind", ""))
            examples.append(Example(text.strip(), labels, lang, key, kind, split_of(key), extends="of" in group))
    return examples


def load_corpus(folder: Path) -> list[Example]:
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise CorpusError(f"no *.yaml corpus files in {folder}")
    examples = [e for f in files for e in load_file(f)]
    _check_extensions(examples)
    return deduplicate(examples)


def _check_extensions(examples: list[Example]) -> None:
    """Every `of:` group names an existing group and repeats its labels."""
    labels = {e.group: e.labels for e in examples if not e.extends}
    for e in examples:
        if not e.extends:
            continue
        if e.group not in labels:
            raise CorpusError(f"{e.text!r}: 'of: {e.group}' names no group in the corpus")
        if labels[e.group] != e.labels:
            raise CorpusError(
                f"{e.text!r} extends {e.group} with labels {sorted(e.labels)}, "
                f"but that group is labelled {sorted(labels[e.group])}"
            )


def deduplicate(examples: Iterable[Example]) -> list[Example]:
    """Keep the first occurrence of each text (files are read in name order), so one text can
    never sit in both splits; the same text with different labels is a contradiction."""
    first: dict[str, Example] = {}
    kept = []
    for e in examples:
        key = " ".join(e.text.lower().split())
        seen = first.get(key)
        if seen is None:
            first[key] = e
            kept.append(e)
        elif seen.labels != e.labels:
            raise CorpusError(
                f"{e.text!r} is labelled {sorted(seen.labels)} in {seen.group} but {sorted(e.labels)} in {e.group}"
            )
    return kept


def default_corpus_dir() -> Path:
    """data/moderation in a source checkout (the corpus is not installed with the package)."""
    return Path(__file__).resolve().parents[3] / "data" / "moderation"
