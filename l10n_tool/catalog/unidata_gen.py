"""Regenerate ``_unidata.py`` from the gnulib sources of the libunistring that
GNU gettext wraps with (libunistring 1.0 = gnulib commit 87e6634b28).

    python -m l10n_tool.catalog.unidata_gen GNULIB_GIT_DIR [COMMIT]

The C tables are compiled and evaluated for every code point instead of
being re-derived from Unicode data files, so the result is what that library
answers, quirks included. Needs git and a C compiler; not used at run time.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

_FILES = ["lib/unilbrk/lbrktables.h", "lib/unilbrk/lbrkprop1.h", "lib/unilbrk/lbrkprop2.h",
          "lib/uniwidth/width0.h", "lib/uniwidth/width2.h", "lib/unictype/bitmap.h"]
_DUMP = r"""
#include <stdio.h>
#include <stdint.h>
typedef uint32_t ucs4_t;
#include "enum.h"
#include "lbrkprop1.h"
#include "lbrkprop2.h"
#include "width0.h"
#include "width2.h"
#include "bitmap.h"
static unsigned lb(ucs4_t uc) {
  unsigned i1 = uc >> lbrkprop_header_0;
  if (i1 < lbrkprop_header_1) { int l1 = unilbrkprop.level1[i1];
    if (l1 >= 0) { int l2 = unilbrkprop.level2[l1 + ((uc >> lbrkprop_header_2) & lbrkprop_header_3)];
      if (l2 >= 0) return unilbrkprop.level3[l2 + (uc & lbrkprop_header_4)]; } }
  return LBP_XX; }
static int wid(ucs4_t uc) {
  if ((uc >> 9) < sizeof nonspacing_table_ind / sizeof nonspacing_table_ind[0]) {
    int ind = nonspacing_table_ind[uc >> 9];
    if (ind >= 0 && ((nonspacing_table_data[64*ind + ((uc >> 3) & 63)] >> (uc & 7)) & 1))
      return (uc > 0 && uc < 0xa0) ? -1 : 0; }
  else if ((uc >> 9) == (0xe0000 >> 9)) {
    if (uc >= 0xe0100) { if (uc <= 0xe01ef) return 0; }
    else if (uc >= 0xe0020 ? uc <= 0xe007f : uc == 0xe0001) return 0; }
  return bitmap_lookup(&u_width2, uc) ? 2 : 1; }
int main(void) { for (ucs4_t c = 0; c < 0x110000; c++) printf("%u %d\n", lb(c), wid(c)); return 0; }
"""


def _runs(values: list[int]) -> tuple[list[int], list[int]]:
    starts, vals, prev = [], [], None
    for i, v in enumerate(values):
        if v != prev:
            starts.append(i)
            vals.append(v)
            prev = v
    return starts, vals


def _tuple(name: str, seq: list[int]) -> str:
    body = textwrap.fill(", ".join(map(str, seq)), 96, initial_indent="    ",
                         subsequent_indent="    ")
    return f"{name} = (\n{body},\n)\n"


def main(gnulib: str, commit: str = "87e6634b28") -> None:
    show = lambda f: subprocess.run(["git", "-C", gnulib, "show", f"{commit}:{f}"],  # noqa: E731
                                    check=True, capture_output=True, text=True).stdout
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        for f in _FILES:
            (d / Path(f).name).write_text(show(f))
        enum = re.search(r"^enum\s*\{.*?^\};", (d / "lbrktables.h").read_text(), re.S | re.M)
        (d / "enum.h").write_text(enum.group(0))
        (d / "dump.c").write_text(_DUMP)
        subprocess.run(["cc", "-O1", "-o", str(d / "dump"), str(d / "dump.c")], check=True)
        rows = subprocess.run([str(d / "dump")], check=True, capture_output=True,
                              text=True).stdout.split("\n")
    lb = [int(r.split()[0]) for r in rows if r]
    width = [int(r.split()[1]) for r in rows if r]
    classes = dict((m.group(1), int(m.group(2)))
                   for m in re.finditer(r"LBP_(\w+)\s*=\s*(\d+)", enum.group(0)))
    pairs = ["".join(x.strip() for x in m.group(1).split(",") if x.strip())
             for m in re.finditer(r"^/\*\s*\w+ \*/ \{(.*)\},", show("lib/unilbrk/lbrktables.c"), re.M)]
    ls, lv = _runs(lb)
    ws, wv = _runs(width)
    doc = (Path(__file__).with_name("_unidata.py").read_text().split('"""')[1]
           if Path(__file__).with_name("_unidata.py").exists() else "Generated, do not edit.\n")
    out = [f'"""{doc}"""', "", "#: libunistring's LBP_* numbering",
           "CLASSES = {" + ", ".join(f"{k!r}: {v}" for k, v in
                                     sorted(classes.items(), key=lambda kv: kv[1])) + "}", "",
           "#: unilbrk_table[before][after]: D direct break, I break only after spaces, P prohibited",
           "PAIRS = (\n" + "".join(f"    {r!r},\n" for r in pairs) + ")\n",
           _tuple("LB_STARTS", ls), _tuple("LB_VALUES", lv),
           _tuple("WIDTH_STARTS", ws), _tuple("WIDTH_VALUES", wv)]
    Path(__file__).with_name("_unidata.py").write_text("\n".join(out))


if __name__ == "__main__":
    main(*sys.argv[1:])
