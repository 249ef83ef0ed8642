"""The docs live in the repository: every citation and link resolves inside a fresh clone."""
import pathlib
import re
import tomllib

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


def test_no_citation_of_a_design_file_outside_the_repository():
    bad = []
    for path in TEXT:
        text = path.read_text(encoding="utf-8")
        if OLD_CITATION.search(text):
            bad.append(f"{path.relative_to(ROOT)} cites the old design file; cite docs/*.md")
        if "../" + "shared/" in text:  # the dev workspace is not part of a clone
            bad.append(f"{path.relative_to(ROOT)} points into the dev workspace")
    assert not bad, "\n".join(bad)


def test_relative_markdown_links_resolve():
    # one test over every file (not one item per file): it reads a few hundred small files
    missing = []
    for path in MARKDOWN:
        for target, _ in LINK.findall(path.read_text(encoding="utf-8")):
            if re.match(r"^[a-z]+:", target):  # http://, mailto: ...
                continue
            if not (path.parent / target).exists():
                missing.append(f"{path.relative_to(ROOT)} links to missing {target}")
    assert len(MARKDOWN) > 20 and not missing, "\n".join(missing)


def test_every_docstring_example_runs():
    # pytest --doctest-modules over brainbatch/ runs them (pyproject.toml); no hand-written runners
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    assert "--doctest-modules" in config["addopts"].split() and "brainbatch" in config["testpaths"]


def test_cited_docs_files_exist():
    cited = set()
    for path in TEXT:
        cited.update(re.findall(r"docs/([\w-]+\.md)", path.read_text(encoding="utf-8")))
    missing = sorted(name for name in cited if not (ROOT / "docs" / name).is_file())
    assert not missing, f"cited but missing: {missing}"


def test_every_package_readme_names_every_module():
    # a README's file table names each module of its package (x.py), or the folder of a subpackage (sub/)
    missing = []
    for readme in sorted((ROOT / "brainbatch").glob("*/README.md")):
        package, text = readme.parent, readme.read_text(encoding="utf-8")
        for path in sorted(package.rglob("*.py")):
            rel = path.relative_to(package)
            if path.name == "__init__.py" and len(rel.parts) == 1:
                continue
            named = f"`{path.name}`" in text or f"`{rel.as_posix()}`" in text or f"`{rel.parts[0]}/`" in text
            if not named:
                missing.append(f"{readme.relative_to(ROOT)} does not name {rel.as_posix()}")
    assert not missing, "\n".join(missing)


def test_every_package_has_a_readme():
    packages = [p.parent for p in (ROOT / "brainbatch").glob("*/__init__.py")]
    missing = sorted(p.name for p in packages if not (p / "README.md").is_file())
    assert packages and not missing, f"packages without a README.md: {missing}"


_NOT_SOURCE = {"node_modules", "results", "build", "dist", "__pycache__"}


def test_docs_readme_links_every_readme_and_every_page():
    # issue 21, item 9: every README of the repository (the root's links docs/README.md) and every docs page
    index = (ROOT / "docs" / "README.md").read_text(encoding="utf-8")
    linked = {(ROOT / "docs" / target).resolve() for target in re.findall(r"\]\(([^)#]+)\)", index)}
    # the repository's own files: not those of tools' caches (.pytest_cache, .mypy_cache), environments or outputs
    readmes = [p for p in ROOT.rglob("README.md")
               if not any(part.startswith(".") or part in _NOT_SOURCE for part in p.relative_to(ROOT).parts[:-1])
               and p not in (ROOT / "README.md", ROOT / "docs" / "README.md")]
    pages = [p for p in (ROOT / "docs").glob("*.md") if p.name != "README.md"]
    missing = sorted(str(p.relative_to(ROOT)) for p in readmes + pages if p.resolve() not in linked)
    assert readmes and not missing, f"docs/README.md does not link {missing}"


def test_the_cli_synopsis_in_the_docs_is_the_one_click_generates():
    from brainbatch.cli.synopsis import synopsis

    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert f"```\n{synopsis()}\n```" in text, "regenerate it: python -m brainbatch.cli.synopsis"


def test_architecture_names_every_sweep_option():
    import dataclasses

    from brainbatch.sweep import SweepOptions

    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    section = text.split("## From an experiment file to a store", 1)[1].split("\n## ", 1)[0]
    missing = [f.name for f in dataclasses.fields(SweepOptions) if f"`{f.name}`" not in section]
    assert not missing, f"docs/architecture.md does not name the sweep options {missing}"


def test_the_experiments_readme_names_every_experiment_file():
    text = (ROOT / "experiments" / "README.md").read_text(encoding="utf-8")
    missing = sorted(p.name for p in (ROOT / "experiments").glob("*.py") if f"`{p.name}`" not in text)
    assert not missing, f"experiments/README.md does not name {missing}"
