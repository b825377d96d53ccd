#!/usr/bin/env python3
"""The straightforward baseline for the warm-pipeline benchmark: csv module + dict.

Reads the accounts CSV, maps its columns (Name, Website, Country, City), looks each row up in an answer dict keyed
by name + website + country, and writes an output CSV with the daemon's 24 columns, one row per account, in input
order. Usage: baseline_join.py ANSWERS.csv ACCOUNTS.csv OUT.csv  (ANSWERS.csv: key columns + the 22 answer columns)
"""
import csv
import sys

HEADER = ["CustomerId", "AddressType", "EnrichmentStatus", "MatchConfidence", "LeadspaceCompanyId", "CompanyName",
          "Website", "Industry", "SubIndustry", "SIC", "NAICS", "EmployeeCount", "EmployeeRange", "RevenueUSD",
          "RevenueRange", "Country", "State", "City", "Street", "PostalCode", "Phone", "LinkedInUrl", "Source",
          "EnrichedAt"]


def key(name, website, country):
    return (name.strip().lower(), website.strip().lower(), country.strip().upper())


def main(answers_path, accounts_path, out_path):
    answers = {}
    with open(answers_path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        next(reader)
        for row in reader:
            answers[key(row[0], row[1], row[2])] = row[3:]
    empty = [""] * 19
    with open(accounts_path, newline="", encoding="utf-8") as f, \
            open(out_path, "w", newline="", encoding="utf-8") as out:
        reader = csv.reader(f)
        header = next(reader)
        cid, name, website, country = (header.index(c) for c in ("CustomerId", "Name", "Website", "Country"))
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(HEADER)
        for row in reader:
            if not row[name].strip():
                writer.writerow([row[cid], "Primary", "InvalidInput", ""] + empty + [""])
                continue
            answer = answers.get(key(row[name], row[website], row[country]))
            if answer is None:
                writer.writerow([row[cid], "Primary", "NotEnriched", ""] + empty + [""])
            else:
                writer.writerow([row[cid], "Primary"] + answer)


if __name__ == "__main__":
    main(*sys.argv[1:4])
