#!/usr/bin/env python3
"""Score match keys against a labelled truth file.

    key_quality.py KEYS.tsv TRUTH.csv

KEYS.tsv: one line per row, `customerId<TAB>addressKind<TAB>key`. Only addressKind "primary"
counts; a row whose key is empty or missing was not looked up. A header line
(`customerId<TAB>addressKind<TAB>key`) and lines starting with "#" are skipped.
TRUTH.csv: header `CustomerId,EntityId` (as written by labelled_names.py).

Over the rows that have a key:
  pairwise_precision   of all pairs of rows sharing a key, the fraction that are the same entity
                       (1.0 when no two rows share a key)
  pairwise_recall      of all pairs of rows of the same entity, the fraction sharing a key
                       (1.0 when no two rows are the same entity)
  distinct_keys        = paid lookups
  true_entities        distinct entities among the keyed rows
  lookups_per_entity   distinct_keys / true_entities (1.0 is ideal; above it, one company is paid
                       for more than once; below it, different companies were merged)
Pairs are counted per group as n*(n-1)/2, never enumerated. Prints the numbers as JSON.
"""

import collections
import csv
import json
import sys


def _pairs(counter):
    return sum(n * (n - 1) // 2 for n in counter.values())


def read_truth(truth_csv_path):
    truth = {}
    with open(truth_csv_path, encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        if not reader.fieldnames or "CustomerId" not in reader.fieldnames \
                or "EntityId" not in reader.fieldnames:
            raise ValueError("%s: header must have CustomerId,EntityId" % truth_csv_path)
        for row in reader:
            cid = (row["CustomerId"] or "").strip()
            if cid:
                truth[cid] = (row["EntityId"] or "").strip() or cid
    return truth


def quality(keys_tsv_path, truth_csv_path):
    truth = read_truth(truth_csv_path)

    keyed = {}            # customerId -> key, first primary line wins
    not_looked_up = set()
    duplicate_lines = 0
    other_kinds = 0
    with open(keys_tsv_path, encoding="utf-8-sig", newline="") as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\r\n")
            if not line or line.startswith("#"):
                continue
            fields = line.split("\t")
            if lineno == 1 and [x.strip().lower() for x in fields[:2]] == ["customerid", "addresskind"]:
                continue
            cid = fields[0].strip()
            kind = fields[1].strip() if len(fields) > 1 else ""
            key = fields[2] if len(fields) > 2 else ""
            if kind != "primary":
                other_kinds += 1
                continue
            if cid in keyed or cid in not_looked_up:
                duplicate_lines += 1
                continue
            if key.strip():
                keyed[cid] = key
            else:
                not_looked_up.add(cid)

    unknown = sum(1 for cid in keyed if cid not in truth)
    by_key = collections.Counter()
    by_entity = collections.Counter()
    by_both = collections.Counter()
    for cid, key in keyed.items():
        entity = truth.get(cid, "unlabelled:" + cid)  # not in truth: its own entity
        by_key[key] += 1
        by_entity[entity] += 1
        by_both[(key, entity)] += 1

    key_pairs, entity_pairs, shared = _pairs(by_key), _pairs(by_entity), _pairs(by_both)
    precision = shared / key_pairs if key_pairs else 1.0
    recall = shared / entity_pairs if entity_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    rows_in_truth = set(truth)
    return {
        "rows_keyed": len(keyed),
        "rows_not_looked_up": len(not_looked_up),
        "truth_rows_missing_from_keys": len(rows_in_truth - set(keyed) - not_looked_up),
        "keyed_rows_not_in_truth": unknown,
        "non_primary_lines_ignored": other_kinds,
        "duplicate_primary_lines_ignored": duplicate_lines,
        "pairs_sharing_key": key_pairs,
        "pairs_same_entity": entity_pairs,
        "pairs_both": shared,
        "pairwise_precision": round(precision, 6),
        "pairwise_recall": round(recall, 6),
        "pairwise_f1": round(f1, 6),
        "distinct_keys": len(by_key),
        "true_entities": len(by_entity),
        "lookups_per_entity": round(len(by_key) / len(by_entity), 6) if by_entity else 0.0,
    }


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 2 or argv[0] in ("-h", "--help"):
        print(__doc__.strip(), file=sys.stderr if len(argv) != 1 else sys.stdout)
        return 0 if argv[:1] in (["-h"], ["--help"]) else 2
    try:
        result = quality(argv[0], argv[1])
    except (OSError, ValueError, UnicodeDecodeError) as e:
        print("key_quality.py: error: %s" % e, file=sys.stderr)
        return 1
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
