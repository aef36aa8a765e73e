"""The differencing attack of issue 20, run on a rendered report page.

An attacker holds the page and public data (Census populations of each LSOA and which
district it is in). They read every number the page publishes: tables, sentences and the
positions of chart marks (inverting the axes from the tick labels), and subtract.
"""

import re

from sna.reports.notebook_checks import (
    differencing_attack,
    page_sentences,
    page_svgs,
    page_tables,
    published_number,
)

_TRANSLATE = r'transform="translate\(([-\d.e]+),\s*([-\d.e]+)\)"'


def _axis(group: str) -> tuple[str, float, float] | None:
    """(orientation, intercept, slope) mapping pixels to values for one axis group."""
    ticks = re.search(r'class="mark-rule role-axis-tick".*?</g>', group, re.S)
    labels = re.search(r'class="mark-text role-axis-label".*?</g>', group, re.S)
    if not ticks or not labels:
        return None
    positions = [(float(x), float(y)) for x, y in re.findall(_TRANSLATE, ticks.group())]
    values = [published_number(re.sub(r"<[^>]+>", "", t))
              for t in re.findall(r"<text[^>]*>(.*?)</text>", labels.group(), re.S)]
    pairs = [(p, v) for p, v in zip(positions, values, strict=False) if v is not None]
    if len(pairs) < 2:
        return None
    xs = {p[0] for p, _ in pairs}
    orientation = "x" if len(xs) > 1 else "y"
    pixels = [p[0] if orientation == "x" else p[1] for p, _ in pairs]
    vals = [v for _, v in pairs]
    n = len(pixels)
    mean_p, mean_v = sum(pixels) / n, sum(vals) / n
    slope = sum((p - mean_p) * (v - mean_v) for p, v in zip(pixels, vals, strict=True)) / sum(
        (p - mean_p) ** 2 for p in pixels)
    return orientation, mean_v - slope * mean_p, slope


def chart_points(svg: str) -> tuple[list[tuple[float, float]], float, float]:
    """The data values of every symbol mark, and the data width of one pixel on each axis."""
    axes = {}
    for group in re.findall(r'class="mark-group role-axis".*?(?=class="mark-group role-axis"|$)',
                            svg, re.S):
        found = _axis(group)
        if found:
            axes.setdefault(found[0], found[1:])
    (ax, bx), (ay, by) = axes["x"], axes["y"]
    points = []
    for block in re.findall(r'class="mark-symbol role-mark[^"]*"[^>]*>(.*?)</g>', svg, re.S):
        for x, y in re.findall(_TRANSLATE, block):
            points.append((ax + bx * float(x), ay + by * float(y)))
    return points, abs(bx), abs(by)


def svd_lsoa_attack(page: str, lsoas, min_count: int) -> dict:
    """Recover LSOA counts from the funnel geometry and subtract them from district totals.

    ``lsoas``: the public LSOA table (``lsoa21_code``, ``district_name``,
    ``usual_residents``). Returns ``{lsoa21_code: recovered count}`` for every LSOA whose
    count the page gives away *and* that is below ``min_count`` (a leak), plus
    ``"_drawn"`` and ``"_attributed"`` counts for the test's sanity checks.
    """
    [funnel] = [s for s in page_svgs(page) if "Neighbourhood rates against population" in s]
    points, px_pop, px_rate = chart_points(funnel)
    population = lsoas["usual_residents"].to_numpy(dtype=float)
    attributed: dict[int, int] = {}
    for pop_est, rate_est in points:
        candidates = []
        for i, pop in enumerate(population):
            if abs(pop - pop_est) > 1.5 * px_pop:
                continue
            count = round(rate_est * pop / 1000)
            if count >= 0 and abs(count / pop * 1000 - rate_est) <= 1.5 * px_rate:
                candidates.append((i, count))
        if len(candidates) == 1 and candidates[0][0] not in attributed:
            attributed[candidates[0][0]] = candidates[0][1]
    [districts] = [t for t in page_tables(page)
                   if t[0].startswith("Serious violence (police.uk proxy) by ")
                   and "Offences" in t[1]]
    column = districts[1].index("Offences")
    totals = {row[0]: published_number(row[column]) for row in districts[2]}
    cells = [attributed.get(i) for i in range(len(lsoas))]
    names = lsoas["district_name"].tolist()
    sums = [([i for i, d in enumerate(names) if d == district], total)
            for district, total in totals.items() if total is not None]
    sums.append((list(range(len(lsoas))), sum(t for _, t in sums)))
    recovered = differencing_attack([float(c) if c is not None else None for c in cells], sums)
    leaks = {lsoas["lsoa21_code"].iloc[i]: v for i, v in recovered.items()
             if 1 <= round(v) < min_count}
    return {**leaks, "_drawn": len(points), "_attributed": len(attributed)}


def sentence_attack(page: str, caption: str, column: str, sentence: str, groups) -> dict:
    """Subtract the totals printed in a sentence from a one-way table shown beside it.

    ``sentence`` is a regex whose groups are published totals; ``groups`` gives, for each
    group, the table rows (by position) it adds up. Returns the recovered cells.
    """
    [table] = [t for t in page_tables(page) if t[0].startswith(caption)]
    col = table[1].index(column)
    cells = [published_number(row[col]) for row in table[2]]
    for text in page_sentences(page):
        found = re.search(sentence, text)
        if found:
            sums = [(rows, published_number(found.group(k + 1)))
                    for k, rows in enumerate(groups)]
            return differencing_attack(cells, [(r, t) for r, t in sums if t is not None])
    return {}


def table_attacks(page: str) -> dict[str, dict]:
    """Every table published with a Total row and/or column, attacked through its totals.

    Returns ``{caption: {(row, column): recovered value}}`` for tables where a suppressed
    cell falls out of the published totals.
    """
    found = {}
    for caption, header, rows in page_tables(page):
        if not rows:
            continue
        total_row = next((k for k, row in enumerate(rows) if row[0] in ("Total", "All")), None)
        total_col = next((k for k, name in enumerate(header) if name == "Total"), None)
        if total_row is None and total_col is None:
            continue
        offset = len(header) - len(rows[0])  # a header cell over the row labels
        columns = [k for k in range(1, len(rows[0])) if k + offset != total_col]
        body = [k for k in range(len(rows)) if k != total_row]
        grid = {(r, c): published_number(rows[r][c]) for r in body for c in columns}
        if all(v is not None for v in grid.values()):
            continue
        keys = list(grid)
        cells = [grid[k] for k in keys]
        sums = []
        if total_row is not None:
            for c in columns:
                total = published_number(rows[total_row][c])
                if total is not None:
                    sums.append(([i for i, k in enumerate(keys) if k[1] == c], total))
        if total_col is not None:
            for r in body:
                total = published_number(rows[r][total_col - offset])
                if total is not None:
                    sums.append(([i for i, k in enumerate(keys) if k[0] == r], total))
        recovered = differencing_attack(cells, sums)
        if recovered:
            found[caption] = {keys[i]: v for i, v in recovered.items()}
    return found
