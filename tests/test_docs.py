"""The docs live in the repository: every citation and link resolves inside a fresh clone."""
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
TEXT = [p for d in ("brainbatch", "tests", "experiments", "bench", "docs") for p in (ROOT / d).rglob("*")
        if p.suffix in {".py", ".md", ".json", ".toml"} and p.is_file() and "__pycache__" not in p.parts]
TEXT += [ROOT / "README.md", ROOT / "Makefile", ROOT / "pyproject.toml"]
MARKDOWN = [p for p in TEXT if p.suffix == ".md"]
DESIGN_DOCS = ["README.md", "architecture.md", "step-order.md", "random.md", "store.md", "executors.md"]
# "DESIGN" followed by a section sign: written in two parts so this file does not match itself
OLD_CITATION = re.compile("DESIGN" + r"\s*(\u00a7|\\u00a7|\.md)")
LINK = re.compile(r"\]\(([^)#\s]+)(#[^)]*)?\)")


def test_the_design_docs_exist_and_are_linked_from_the_readme():
    readme = (ROOT / "README.md").read_text()
    for name in DESIGN_DOCS:
        assert (ROOT / "docs" / name).is_file(), name
    assert "docs/architecture.md" in readme and "docs/README.md" in readme


@pytest.mark.parametrize("path", TEXT, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_citation_of_a_design_file_outside_the_repository(path):
    text = path.read_text(encoding="utf-8")
    assert not OLD_CITATION.search(text), f"{path.relative_to(ROOT)} cites the old design file; cite docs/*.md"
    assert "../" + "shared/" not in text  # the dev workspace is not part of a clone


@pytest.mark.parametrize("path", MARKDOWN, ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_markdown_links_resolve(path):
    for target, _ in LINK.findall(path.read_text(encoding="utf-8")):
        if re.match(r"^[a-z]+:", target):  # http://, mailto: ...
            continue
        assert (path.parent / target).exists(), f"{path.relative_to(ROOT)} links to missing {target}"


def test_cited_docs_files_exist():
    cited = set()
    for path in TEXT:
        cited.update(re.findall(r"docs/([\w-]+\.md)", path.read_text(encoding="utf-8")))
    missing = sorted(name for name in cited if not (ROOT / "docs" / name).is_file())
    assert not missing, f"cited but missing: {missing}"
