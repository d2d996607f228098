from pathlib import Path

from byline.porting.importer import ImportOptions, import_wxr

DATA = Path(__file__).parent / "data"


def run_import(site, name_or_path, **options):
    path = DATA / name_or_path if isinstance(name_or_path, str) else name_or_path
    return import_wxr(site=site, file=path, options=ImportOptions(**options))
