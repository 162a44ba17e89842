"""A corpus of hostile and broken submissions, generated (never committed as binaries)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.core.grading_harness import correct_answers


def injections(marker: Path) -> list[str]:
    """Strings that would create ``marker`` if any layer executed them."""
    m = str(marker)
    return [
        f"__import__('os').system('touch {m}')",
        f"eval(\"open('{m}', 'w')\")",
        f"exec(\"open('{m}', 'w').close()\")",
        f"(lambda: __import__('pathlib').Path('{m}').touch())()",
        f"().__class__.__bases__[0].__subclasses__()[0].__init__.__globals__['sys'].modules['os'].system('touch {m}')",
        f"Symbol('x').__class__.__init__.__globals__['os'].system('touch {m}')",
        f"\\input{{{m}}}",
        f"$(touch {m})",
        f"`touch {m}`",
        "x" * 50 + "__import__",
    ]


def build_corpus(folder: Path, marker: Path) -> list[str]:
    """Write the corpus into ``folder``; returns the file names."""
    folder.mkdir(parents=True, exist_ok=True)
    files: dict[str, bytes] = {}
    files["empty.md"] = b""
    files["binary.pdf"] = b"%PDF-1.4\n\x00\x01\x02\x03" + bytes(range(256)) * 20
    files["binary.md"] = bytes(range(256)) * 40
    files["truncated_utf8.md"] = "## 2b\n1820 — ответ ".encode()[:-1] + b"\xd0"
    files["cp1251.txt"] = "Задача 2\nб) Ответ: 1820\nв) Ответ: 46 x 62 x 20\n".encode("cp1251")
    files["big_50mb.txt"] = b"## 2b\n1820\n" + (b"noise " * 10 + b"\n") * 800_000
    files["one_line_1mb.md"] = b"## 2b " + b"1+" * 500_000 + b"1"
    files["nested_braces.md"] = b"## 5a\n" + b"{" * 100_000 + b"w" + b"}" * 100_000
    files["nested_parens.json"] = json.dumps({"answers": {"2b": "(" * 100_000 + "1" + ")" * 100_000}}).encode()
    files["deep_json.json"] = b"[" * 100_000 + b"]" * 100_000
    files["towers.yaml"] = json.dumps({"answers": {
        "2b": "2^{2^{2^{2^{2^{10}}}}}", "2d": "10^{10^{10}}!", "2e": r"\sum_{k=1}^{10^{12}} k^k",
        "3a": "2^{2^{2^{2^{2^{10}}}}}", "5a": "10^{10^{10}}!", "1b": r"\sum_{k=1}^{10^{12}} k^k",
        "4e": "9" * 100_000, "1a": "(" * 5000 + "x" + ")" * 5000,
    }}).encode()
    files["yaml_tags.yaml"] = f"answers: !!python/object/apply:os.system ['touch {marker}']\n".encode()
    files["yaml_tag_value.yaml"] = f"answers:\n  2b: !!python/object/apply:os.system ['touch {marker}']\n".encode()
    laughs = ["a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]"]
    laughs += [f"{chr(98 + k)}: &{chr(98 + k)} [*{chr(97 + k)},*{chr(97 + k)},*{chr(97 + k)},*{chr(97 + k)},"
               f"*{chr(97 + k)},*{chr(97 + k)},*{chr(97 + k)},*{chr(97 + k)},*{chr(97 + k)}]" for k in range(8)]
    files["billion_laughs.yaml"] = ("\n".join(laughs) + "\nanswers: {2b: *i}\n").encode()
    files["json_dup_and_nan.json"] = b'{"answers": {"2b": "1820", "2b": NaN}, "answers": {"4e": Infinity}}'
    part_ids = list(correct_answers())
    for k, attack in enumerate(injections(marker)):
        files[f"inject_{k:02d}.json"] = json.dumps({"student": attack[:150], "answers": {p: attack for p in part_ids}}).encode()
        files[f"inject_{k:02d}.md"] = "\n\n".join(
            [f"Problem {n}\n" + "\n".join(f"({letter}) Answer: {attack}" for letter in "abcdefghijklmn")
             for n in range(1, 7)]).encode()
    files["=cmd|' -C calc'!A0.json"] = json.dumps({"student": "=HYPERLINK(\"http://x\")", "answers": {"2b": "1820"}}).encode()
    files["good.json"] = json.dumps({"student": "good", "answers": correct_answers()}).encode()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return sorted(files)
