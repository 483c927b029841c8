"""The Chinese catalogs: every entry translated, no id defined twice, all files merged."""

from babel.messages.pofile import read_po

from scicity.i18n import catalog_files, translations


def _entries():
    for po in catalog_files("zh"):
        with po.open("rb") as f:
            for message in read_po(f, locale="zh_CN"):
                if message.id:
                    yield po.name, message


def test_there_is_a_chinese_catalog():
    names = [p.name for p in catalog_files("zh")]
    assert names[0] == "messages.po"


def test_every_entry_has_a_translation():
    missing = [(name, m.id) for name, m in _entries() if not (m.string if isinstance(m.string, str) else all(m.string))]
    assert not missing, f"entries without a Chinese translation: {missing[:20]}"


def test_an_id_in_two_files_has_one_translation():
    """Two feature catalogs may share a word ('State', 'Actual'), but never translate it differently."""
    seen: dict[str, tuple[str, object]] = {}
    clashes = []
    for name, m in _entries():
        key = m.id if isinstance(m.id, str) else m.id[0]
        if key in seen and seen[key][1] != m.string:
            clashes.append((key, seen[key][0], seen[key][1], name, m.string))
        seen.setdefault(key, (name, m.string))
    assert not clashes, f"ids translated differently in two catalog files (give one a more specific id): {clashes[:20]}"


def test_every_file_of_a_language_is_merged():
    t = translations("zh")
    for name, m in _entries():
        if isinstance(m.id, str) and m.string:
            assert t.gettext(m.id) == m.string, (name, m.id)
