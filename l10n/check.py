#!/usr/bin/env python3
"""Check the Chinese scenario texts in l10n/zh/ against the English scenarios in scenarios/.

For each scenarios/NN-name.json there must be an l10n/zh/NN-name.json of the shape
{"title", "source", "summary", "captions": [...]}, with as many captions as the English file (they
are merged in by position). In each field, every identifier the English text uses must also appear
in the Chinese: node names (n1), client names (c1), ballot-like numbers (1.2) and backquoted words
(`available`). Other numbers that are missing are listed as warnings, not failures.

Run from the repository root: python3 l10n/check.py   (exit 0 if every file passes)
"""

import glob
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KEYS = ["title", "source", "summary", "captions"]

# What must survive translation unchanged. `n1` must not match inside `n10`, hence the lookarounds.
PATTERNS = [
    ("node", re.compile(r"(?<![A-Za-z0-9])n\d+(?!\d)")),
    ("client", re.compile(r"(?<![A-Za-z0-9])c\d+(?!\d)")),
    ("ballot", re.compile(r"(?<![\d.])\d+\.\d+(?![\d.])")),
    ("backquoted", re.compile(r"`[^`]+`")),
    # Seed text the English quotes (a run of CJK characters) is kept verbatim.
    ("seed text", re.compile(r"[\u4e00-\u9fff]+")),
]
NUMBER = re.compile(r"\d+")


def missing(english, chinese):
    """The identifiers of `english` that `chinese` lacks, as (kind, token) pairs."""
    out = []
    for kind, pattern in PATTERNS:
        have = set(pattern.findall(chinese))
        for token in sorted(set(pattern.findall(english))):
            if token not in have:
                out.append((kind, token))
    return out


def check_file(en_path, zh_path):
    """Returns (errors, warnings) for one scenario."""
    errors, warnings = [], []
    en = json.load(open(en_path, encoding="utf-8"))
    if not os.path.exists(zh_path):
        return [f"missing {os.path.relpath(zh_path, ROOT)}"], []
    try:
        zh = json.load(open(zh_path, encoding="utf-8"))
    except json.JSONDecodeError as e:
        return [f"not JSON: {e}"], []
    if sorted(zh) != sorted(KEYS):
        errors.append(f"keys are {sorted(zh)}, expected {sorted(KEYS)}")
        return errors, warnings
    en_caps = [c["text"] for c in en["captions"]]
    zh_caps = zh["captions"]
    if not isinstance(zh_caps, list) or not all(isinstance(c, str) for c in zh_caps):
        return ["captions must be a list of strings"], []
    if len(en_caps) != len(zh_caps):
        errors.append(f"{len(zh_caps)} captions, the English has {len(en_caps)}")
    pairs = [(k, en[k], zh[k]) for k in ("title", "source", "summary")]
    pairs += [(f"caption {i}", e, z) for i, (e, z) in enumerate(zip(en_caps, zh_caps))]
    for where, e, z in pairs:
        if not isinstance(z, str) or not z.strip():
            errors.append(f"{where}: empty")
            continue
        for kind, token in missing(e, z):
            errors.append(f"{where}: {kind} {token} missing")
        have = set(NUMBER.findall(z))
        lost = sorted(set(NUMBER.findall(e)) - have, key=int)
        if lost:
            warnings.append(f"{where}: numbers {', '.join(lost)} not in the Chinese")
    return errors, warnings


def main():
    en_files = sorted(glob.glob(os.path.join(ROOT, "scenarios", "*.json")))
    zh_dir = os.path.join(ROOT, "l10n", "zh")
    failed = 0
    for en_path in en_files:
        name = os.path.basename(en_path)
        errors, warnings = check_file(en_path, os.path.join(zh_dir, name))
        caps = len(json.load(open(en_path, encoding="utf-8"))["captions"])
        print(f"{'FAIL' if errors else 'ok  '} {name} ({caps} captions)")
        for line in errors:
            print(f"     error: {line}")
        for line in warnings:
            print(f"     warning: {line}")
        failed += bool(errors)
    extra = sorted(set(os.listdir(zh_dir)) - {os.path.basename(p) for p in en_files}) if os.path.isdir(zh_dir) else []
    for name in extra:
        print(f"FAIL {name}: no scenarios/{name}")
    print(f"{len(en_files) - failed} of {len(en_files)} scenarios pass; {len(extra)} stray files")
    return 1 if failed or extra else 0


if __name__ == "__main__":
    sys.exit(main())
