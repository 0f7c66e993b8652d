"""The committed sample class is what tests/samples.py builds from release/ (run `make samples`)."""

import nbformat

import samples


def test_sample_class_matches_the_release_and_the_sample_answers():
    built = samples.build()
    committed = {p.relative_to(samples.SAMPLES) for p in samples.SAMPLES.rglob("*.ipynb")}
    assert committed == set(built), "tests/samples/good is out of date: run `make samples`"
    for relative, notebook in built.items():
        on_disk = nbformat.read(samples.SAMPLES / relative, as_version=4)
        assert on_disk == notebook, f"tests/samples/good/{relative} is out of date: run `make samples`"
