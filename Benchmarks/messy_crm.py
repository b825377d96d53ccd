#!/usr/bin/env python3
"""Independent generator of messy CRM customer rows (with ground truth).

Base companies come from the Faker package (several locales); the messiness
(URL forms, country spellings, name variants, missing fields) is applied per
row with fixed probabilities.  Output is deterministic for a given seed and
Faker version.

    messy_crm.py --companies N --rows M --seed S --cache DIR --out DIR

writes DIR/customers.csv (CustomerId,Name,Website,Country,City) and
DIR/truth.csv (CustomerId,EntityId) and prints one summary line.
"""

import argparse
import csv
import importlib
import os
import random
import re
import subprocess
import sys
import unicodedata

FAKER_VERSION = "40.54.0"


# ---------------------------------------------------------------------------
# Faker bootstrap
# ---------------------------------------------------------------------------

def load_faker(cache_dir):
    target = os.path.join(os.path.abspath(cache_dir), "faker")

    def try_import():
        if os.path.isdir(os.path.join(target, "faker")) and target not in sys.path:
            sys.path.insert(0, target)
        try:
            mod = importlib.import_module("faker")
        except ImportError:
            return None
        return mod

    mod = try_import()
    if mod is not None and getattr(mod, "VERSION", None) == FAKER_VERSION:
        return mod
    # Missing or another version: install the pinned one into the cache.
    os.makedirs(target, exist_ok=True)
    cmd = [sys.executable, "-m", "pip", "install", "--quiet",
           "--disable-pip-version-check", "--upgrade",
           "--target", target, "faker==" + FAKER_VERSION]
    env = dict(os.environ, PIP_ROOT_USER_ACTION="ignore")
    subprocess.run(cmd, check=True, env=env)
    for name in [m for m in sys.modules if m == "faker" or m.startswith("faker.")]:
        del sys.modules[name]
    if target in sys.path:
        sys.path.remove(target)
    sys.path.insert(0, target)
    importlib.invalidate_caches()
    mod = importlib.import_module("faker")
    if mod.VERSION != FAKER_VERSION:
        sys.exit("messy_crm: expected faker %s, got %s" % (FAKER_VERSION, mod.VERSION))
    return mod


# ---------------------------------------------------------------------------
# Static tables
# ---------------------------------------------------------------------------

# locale -> (weight, country alpha-2, language group for collisions)
LOCALES = [
    ("en_US", 28, "US", "en"),
    ("en_GB", 12, "GB", "en"),
    ("de_DE", 12, "DE", "de"),
    ("fr_FR", 8, "FR", "fr"),
    ("nl_NL", 6, "NL", "nl"),
    ("it_IT", 5, "IT", "it"),
    ("es_ES", 5, "ES", "es"),
    ("sv_SE", 4, "SE", "sv"),
    ("en_AU", 3, "AU", "en"),
    ("en_CA", 3, "CA", "en"),
    ("de_AT", 2, "AT", "de"),
    ("de_CH", 2, "CH", "de"),
    ("fr_CH", 1, "CH", "fr"),
    ("en_IE", 1, "IE", "en"),
    ("da_DK", 2, "DK", "da"),
    ("no_NO", 1, "NO", "no"),
    ("fi_FI", 1, "FI", "fi"),
    ("pl_PL", 2, "PL", "pl"),
    ("pt_PT", 1, "PT", "pt"),
    ("nl_BE", 1, "BE", "nl"),
]

# alpha-2 -> (alpha-3, English short name, local names, other aliases)
COUNTRIES = {
    "US": ("USA", "United States", [], ["USA", "U.S.", "U.S.A.", "United States of America", "US"]),
    "GB": ("GBR", "United Kingdom", [], ["UK", "U.K.", "Great Britain", "England"]),
    "DE": ("DEU", "Germany", ["Deutschland"], ["Federal Republic of Germany"]),
    "FR": ("FRA", "France", ["France"], ["République française"]),
    "NL": ("NLD", "Netherlands", ["Nederland"], ["The Netherlands", "Holland", "Netherlands, The"]),
    "IT": ("ITA", "Italy", ["Italia"], []),
    "ES": ("ESP", "Spain", ["España", "Espana"], []),
    "SE": ("SWE", "Sweden", ["Sverige"], []),
    "AU": ("AUS", "Australia", [], ["Commonwealth of Australia"]),
    "CA": ("CAN", "Canada", [], []),
    "AT": ("AUT", "Austria", ["Österreich", "Oesterreich"], []),
    "CH": ("CHE", "Switzerland", ["Schweiz", "Suisse", "Svizzera"], []),
    "IE": ("IRL", "Ireland", ["Éire"], ["Republic of Ireland"]),
    "DK": ("DNK", "Denmark", ["Danmark"], []),
    "NO": ("NOR", "Norway", ["Norge"], []),
    "FI": ("FIN", "Finland", ["Suomi"], []),
    "PL": ("POL", "Poland", ["Polska"], []),
    "PT": ("PRT", "Portugal", ["Portugal"], []),
    "BE": ("BEL", "Belgium", ["België", "Belgique"], []),
}

# alpha-2 -> [(tld, weight)]
TLDS = {
    "US": [(".com", 85), (".net", 5), (".us", 4), (".io", 4), (".co", 2)],
    "GB": [(".co.uk", 60), (".com", 30), (".uk", 5), (".io", 5)],
    "DE": [(".de", 80), (".com", 17), (".eu", 3)],
    "FR": [(".fr", 70), (".com", 25), (".eu", 5)],
    "NL": [(".nl", 80), (".com", 20)],
    "IT": [(".it", 80), (".com", 20)],
    "ES": [(".es", 75), (".com", 25)],
    "SE": [(".se", 85), (".com", 15)],
    "AU": [(".com.au", 80), (".com", 20)],
    "CA": [(".ca", 70), (".com", 30)],
    "AT": [(".at", 80), (".com", 20)],
    "CH": [(".ch", 85), (".com", 15)],
    "IE": [(".ie", 75), (".com", 25)],
    "DK": [(".dk", 85), (".com", 15)],
    "NO": [(".no", 85), (".com", 15)],
    "FI": [(".fi", 85), (".com", 15)],
    "PL": [(".pl", 80), (".com.pl", 10), (".com", 10)],
    "PT": [(".pt", 80), (".com", 20)],
    "BE": [(".be", 85), (".com", 15)],
}

# Equivalent spellings of legal forms.  The first spelling that matches the
# end of a name (longest first) identifies the form; variants are drawn from
# the rest of its group.
LEGAL_GROUPS = [
    ["Inc", "Inc.", "Incorporated", "INC"],
    ["LLC", "L.L.C.", "Llc"],
    ["Ltd", "Ltd.", "Limited", "LTD"],
    ["PLC", "plc", "Plc", "P.L.C."],
    ["Corp", "Corp.", "Corporation"],
    ["LLP", "L.L.P."],
    ["DAC", "D.A.C."],
    ["Pty Ltd", "Pty. Ltd.", "Pty Limited", "PTY LTD"],
    ["GmbH & Co. KGaA", "GmbH & Co KGaA", "GmbH und Co. KGaA"],
    ["GmbH & Co. OHG", "GmbH & Co OHG", "GmbH u. Co. OHG"],
    ["GmbH & Co. KG", "GmbH & Co KG", "GmbH und Co. KG", "GmbH u. Co. KG"],
    ["AG & Co. KGaA", "AG & Co KGaA"],
    ["AG & Co. OHG", "AG & Co OHG"],
    ["AG & Co. KG", "AG & Co KG", "AG und Co. KG"],
    ["GmbH", "G.m.b.H.", "Gmbh", "GMBH"],
    ["AG", "A.G.", "Aktiengesellschaft"],
    ["KGaA", "KGAA"],
    ["KG", "K.G."],
    ["OHG", "oHG", "OHG."],
    ["GbR", "G.b.R.", "GBR"],
    ["GesbR", "GesnbR"],
    ["OG", "O.G."],
    ["e.V.", "eV", "e. V."],
    ["e.G.", "eG"],
    ["S.A.R.L.", "SARL", "Sarl", "S.à r.l."],
    ["SARL", "S.A.R.L.", "Sarl", "S.à r.l."],
    ["Sàrl.", "Sàrl", "SARL", "S.à r.l."],
    ["S.A.S.", "SAS", "S.A.S"],
    ["SAS", "S.A.S."],
    ["S.A.", "SA", "S.A"],
    ["SA", "S.A.", "S.A"],
    ["B.V.", "BV", "bv"],
    ["BV", "B.V.", "bv"],
    ["N.V.", "NV"],
    ["NV", "N.V."],
    ["CommV", "Comm.V."],
    ["VOF", "V.O.F.", "vof"],
    ["CV", "C.V."],
    ["SPA", "S.p.A.", "SpA", "S.P.A."],
    ["S.p.A.", "SpA", "SPA"],
    ["s.r.l.", "S.r.l.", "SRL", "srl", "S.R.L."],
    ["S.L.N.E", "S.L.N.E.", "SLNE"],
    ["S.L.U.", "SLU", "S.L.U"],
    ["S.L.L.", "SLL"],
    ["S.L.", "SL", "S.L"],
    ["S.A.U", "S.A.U.", "SAU"],
    ["S.A.D", "S.A.D.", "SAD"],
    ["S.A.T.", "SAT"],
    ["S.C.P", "S.C.P.", "SCP"],
    ["S.Coop.", "S. Coop.", "S.Coop"],
    ["S.Com.", "S. Com.", "S.Com"],
    ["AB", "Aktiebolag", "A.B."],
    ["HB", "Handelsbolag"],
    ["ApS", "Aps", "APS"],
    ["A/S", "AS", "A.S."],
    ["ASA", "A.S.A."],
    ["AS", "A/S"],
    ["BA"],
    ["As Oy", "Asunto Oy"],
    ["Oyj", "OYJ"],
    ["Oy", "OY", "Oy."],
    ["Ky", "KY"],
    ["Tmi", "TMI"],
    ["Osk", "osk"],
    ["ry", "r.y."],
    ["Sp. z o.o. Sp.k.", "sp. z o.o. sp.k.", "Sp. z o.o. Sp. k."],
    ["Sp. z o.o.", "sp. z o.o.", "Sp. z.o.o.", "Spółka z o.o."],
    ["Sp.j.", "sp.j.", "Sp. j."],
    ["Sp.k.", "sp.k.", "Sp. k."],
    ["s.c.", "S.C."],
    ["Lda.", "Lda", "Limitada"],
    ["S/A", "S.A.", "SA"],
]
LEGAL_SPELLINGS = sorted({s for g in LEGAL_GROUPS for s in g}, key=len, reverse=True)

# Non-legal trailing words Faker uses ("Freeman Group"); a website may drop them.
TRAILING_WORDS = ["and Sons", "Group", "Groep", "Gruppen", "e figli", "et Fils",
                  "& Söhne", "& Partner", "& Cie.", "& Co.", "og Sønner", "& co.",
                  "i syn", "e Filhos", "& Filhos"]

AND_WORD = {"en": "and", "de": "und", "fr": "et", "nl": "en", "it": "e", "es": "y",
            "sv": "och", "da": "og", "no": "og", "fi": "ja", "pl": "i", "pt": "e"}

# English-locale Faker names carry US-style suffixes everywhere; remap them to
# forms used in the company's country.
EN_SUFFIX = {
    "US": [("Inc", 40), ("Inc.", 15), ("LLC", 30), ("Corp.", 8), ("Corporation", 4), ("Co.", 3)],
    "GB": [("Ltd", 55), ("Limited", 20), ("PLC", 10), ("plc", 5), ("LLP", 10)],
    "IE": [("Ltd", 50), ("Limited", 35), ("DAC", 5), ("PLC", 10)],
    "AU": [("Pty Ltd", 75), ("Pty. Ltd.", 10), ("Ltd", 15)],
    "CA": [("Inc.", 45), ("Ltd.", 25), ("Corp.", 15), ("Inc", 15)],
}

TRANSLIT_DE = {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"}
TRANSLIT_NORDIC = {"å": "a", "ä": "a", "ö": "o", "ø": "o", "æ": "ae", "Å": "A", "Ä": "A",
                   "Ö": "O", "Ø": "O", "Æ": "Ae", "ł": "l", "Ł": "L"}

URL_PATHS = ["/about?ref=crm", "/contact", "/en/", "/index.html", "/?utm_source=crm",
             "/home", "/de/", "/impressum"]
SUBDOMAINS = ["shop", "en", "store", "info", "portal"]


def weighted(rng, pairs):
    total = sum(w for _, w in pairs)
    x = rng.random() * total
    for v, w in pairs:
        x -= w
        if x < 0:
            return v
    return pairs[-1][0]


def split_legal(name):
    """Return (base, separator, legal) where legal is a known trailing form."""
    for s in LEGAL_SPELLINGS:
        for sep in (", ", " "):
            if name.endswith(sep + s) and len(name) > len(sep + s):
                return name[: -len(sep + s)], sep, s
    return name, "", ""


def legal_variants(spelling):
    out = []
    for g in LEGAL_GROUPS:
        if spelling in g:
            out.extend(x for x in g if x != spelling and x not in out)
    return out


def strip_accents(s):
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


# ---------------------------------------------------------------------------
# Companies
# ---------------------------------------------------------------------------

class Company:
    __slots__ = ("eid", "locale", "lang", "country", "name", "domain", "city")


def domain_label_candidates(rng, name, locale, lang):
    base, _, legal = split_legal(name)
    if rng.random() < 0.5:
        for w in TRAILING_WORDS:
            if base.endswith(" " + w) and len(base) > len(w) + 1:
                base = base[: -len(w) - 1]
                break
    table = TRANSLIT_DE if lang == "de" else TRANSLIT_NORDIC if lang in ("sv", "da", "no", "fi", "pl") else {}
    t = "".join(table.get(c, c) for c in base)
    t = strip_accents(t).lower().replace("&", " and " if rng.random() < 0.4 else " ")
    t = t.replace("'", "")
    words = re.findall(r"[a-z0-9]+", t)
    if not words:
        words = ["company"]
    if len(words) > 3 or len("".join(words)) > 24:
        words = [w for w in words if w not in ("and", "e", "y", "et", "en", "und", "og", "och", "i")]
        if len("".join(words)) > 24:
            words = words[:2]
    joined = "".join(words)
    hyph = "-".join(words)
    styles = [(joined, 55), (hyph, 30)]
    if len(words) > 1 and len(words[0]) >= 4:
        styles.append((words[0], 10))
    if len(words) >= 3:
        styles.append(("".join(w[0] for w in words), 5))
    first = weighted(rng, styles)
    legal_slug = re.sub(r"[^a-z0-9]+", "", strip_accents(legal).lower())
    if legal_slug and lang in ("de", "sv", "da", "no", "pl", "fi") and rng.random() < 0.10:
        first = first + "-" + legal_slug
    cands = [first, joined, hyph]
    if legal_slug:
        cands.append(joined + "-" + legal_slug)
    return cands, legal_slug


def make_domain(rng, name, locale, lang, country, used):
    cands, legal_slug = domain_label_candidates(rng, name, locale, lang)
    tld = weighted(rng, TLDS[country])
    extra = [cands[0] + "-" + country.lower(), cands[0] + "group", cands[0] + "online"]
    for label in cands + extra:
        d = label + tld
        if d not in used:
            used.add(d)
            return d
    n = 2
    while True:
        d = "%s%d%s" % (cands[0], n, tld)
        if d not in used:
            used.add(d)
            return d
        n += 1


def build_companies(rng, fk, n, seed):
    Faker = fk.Faker
    fakers = {}
    for i, (loc, _, _, _) in enumerate(LOCALES):
        f = Faker(loc)
        f.seed_instance(seed * 1000 + i)
        fakers[loc] = f
    try:
        from faker.providers.company.nl_NL import Provider as NLCompany
        fixed_names = set(NLCompany.large_companies)
    except Exception:  # pragma: no cover - older/newer Faker layout
        fixed_names = set()
    loc_weights = [((loc, c, lang), w) for loc, w, c, lang in LOCALES]
    used_domains = set()
    used_fixed = set()
    by_lang = {}
    companies = []
    for eid in range(n):
        loc, country, lang = weighted(rng, loc_weights)
        f = fakers[loc]
        name = None
        # Genuine collision: same name as an earlier company of the same
        # language, in this company's own country, with its own website.
        if by_lang.get(lang) and rng.random() < 0.015:
            name = rng.choice(by_lang[lang]).name
        if name is None:
            for _ in range(5):
                name = f.company()
                # nl_NL draws real large companies from a fixed list; keep each once.
                if name in fixed_names:
                    if name in used_fixed:
                        continue
                    used_fixed.add(name)
                break
            if lang == "en":
                base, sep, legal = split_legal(name)
                if legal in ("Inc", "LLC", "PLC", "Ltd"):
                    name = base + " " + weighted(rng, EN_SUFFIX[country])
        c = Company()
        c.eid = eid
        c.locale = loc
        c.lang = lang
        c.country = country
        c.name = name
        c.domain = make_domain(rng, name, loc, lang, country, used_domains)
        c.city = f.city()
        companies.append(c)
        by_lang.setdefault(lang, []).append(c)
    return companies


def rows_per_company(rng, n, m):
    """Every company >= 1; most 1-3, a share 5-20, summing exactly to m."""
    light = [(1, 55), (2, 30), (3, 15)]
    light_mean = 1.6
    heavy_mean = 12.5
    target = m / n
    h = (target - light_mean) / (heavy_mean - light_mean)
    h = min(0.45, max(0.02, h))
    counts = []
    for _ in range(n):
        if rng.random() < h:
            counts.append(rng.randint(5, 20))
        else:
            counts.append(weighted(rng, light))
    total = sum(counts)
    while total > m:
        i = rng.randrange(n)
        if counts[i] > 1:
            counts[i] -= 1
            total -= 1
    while total < m:
        # Rich get richer: pick a row's company, so heavy companies grow most.
        i = rng.randrange(n)
        j = rng.randrange(n)
        i = i if counts[i] >= counts[j] else j
        counts[i] += 1
        total += 1
    return counts


# ---------------------------------------------------------------------------
# Messiness
# ---------------------------------------------------------------------------

def messy_website(rng, domain):
    form = weighted(rng, [
        ("bare", 28), ("www", 22), ("https_www_slash", 12), ("https_www", 6),
        ("http", 7), ("http_www", 5), ("https", 5), ("path", 4), ("upper", 4),
        ("sub", 3), ("https_sub", 1), ("www_slash", 3),
    ])
    if form == "bare":
        s = domain
    elif form == "www":
        s = "www." + domain
    elif form == "https_www_slash":
        s = "https://www." + domain + "/"
    elif form == "https_www":
        s = "https://www." + domain
    elif form == "http":
        s = "http://" + domain
    elif form == "http_www":
        s = "http://www." + domain
    elif form == "https":
        s = "https://" + domain
    elif form == "path":
        s = rng.choice(["https://", "http://", "https://www."]) + domain + rng.choice(URL_PATHS)
    elif form == "upper":
        s = rng.choice(["", "WWW.", "HTTP://WWW."]) + domain.upper()
    elif form == "sub":
        s = rng.choice(SUBDOMAINS) + "." + domain
    elif form == "https_sub":
        s = "https://" + rng.choice(SUBDOMAINS) + "." + domain + "/"
    else:
        s = "www." + domain + "/"
    r = rng.random()
    if r < 0.04:
        s = s + rng.choice([" ", "  ", "   "])
    elif r < 0.05:
        s = " " + s
    return s


def messy_country(rng, iso2):
    a3, en, local, aliases = COUNTRIES[iso2]
    # Colloquial aliases (USA, UK, Holland) are common; formal names are rare.
    alias_w = 18 if iso2 in ("US", "GB", "NL") else 3
    form = weighted(rng, [("a2", 35), ("en", 28), ("a3", 7), ("local", 12), ("alias", alias_w)])
    if form == "a2":
        s = iso2
    elif form == "a3":
        s = a3
    elif form == "local" and local:
        s = rng.choice(local)
    elif form == "alias" and aliases:
        s = rng.choice(aliases)
    else:
        s = en
    r = rng.random()
    if r < 0.07:
        s = s.lower()
    elif r < 0.10:
        s = s.upper()
    if rng.random() < 0.03:
        s = s + " "
    return s


def typo(rng, s):
    letters = [i for i, c in enumerate(s) if c.isalpha() and i > 0]
    if not letters:
        return s
    i = rng.choice(letters)
    op = rng.randrange(4)
    if op == 0:  # substitute with a neighbouring letter of the alphabet
        c = s[i]
        base = "a" if c.islower() else "A"
        k = (ord(c.lower()) - ord("a")) if "a" <= c.lower() <= "z" else 0
        k = (k + rng.choice([-1, 1])) % 26
        return s[:i] + chr(ord(base) + k) + s[i + 1:]
    if op == 1:  # drop
        return s[:i] + s[i + 1:]
    if op == 2:  # double
        return s[:i] + s[i] + s[i:]
    if i + 1 < len(s) and s[i + 1].isalpha():  # transpose
        return s[:i] + s[i + 1] + s[i] + s[i + 2:]
    return s[:i] + s[i + 1:]


def messy_name(rng, c):
    name = c.name
    base, sep, legal = split_legal(name)
    if legal:
        r = rng.random()
        if r < 0.12:
            legal, sep = "", ""
        elif r < 0.30:
            vs = legal_variants(legal)
            if vs:
                legal = rng.choice(vs)
        if legal and sep == " " and "," not in base and rng.random() < 0.06:
            sep = ", "
    word = AND_WORD.get(c.lang, "and")
    if " & " in base and rng.random() < 0.35:
        base = base.replace(" & ", " %s " % (word if rng.random() < 0.8 else "and"), 1)
    elif (" %s " % word) in base and rng.random() < 0.25:
        base = base.replace(" %s " % word, " & ", 1)
    if "-" in base and rng.random() < 0.05:
        base = base.replace("-", " ")
    if ", " in base and rng.random() < 0.10:
        base = base.replace(", ", " ")
    s = base + (sep + legal if legal else "")
    r = rng.random()
    if r < 0.07:
        s = s.upper()
    elif r < 0.11:
        s = s.lower()
    elif r < 0.14:
        s = s.title()
    if rng.random() < 0.05 and " " in s:
        idx = [i for i, ch in enumerate(s) if ch == " "]
        i = rng.choice(idx)
        s = s[:i] + "  " + s[i + 1:]
    if rng.random() < 0.03 and not s.endswith("."):
        s = s + "."
    if len(s.strip()) >= 15 and rng.random() < 0.02:
        s = typo(rng, s)
    r = rng.random()
    if r < 0.03:
        s = s + " "
    elif r < 0.04:
        s = " " + s
    return s


def messy_city(rng, c):
    r = rng.random()
    if r < 0.12:
        return ""
    if r < 0.15:
        return c.city.upper()
    return c.city


# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--companies", type=int, required=True)
    ap.add_argument("--rows", type=int, required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cache", required=True, help="directory for the pip-installed Faker")
    ap.add_argument("--out", required=True)
    a = ap.parse_args(argv)
    if a.companies < 1 or a.rows < a.companies:
        ap.error("need 1 <= companies <= rows")

    fk = load_faker(a.cache)
    rng = random.Random(a.seed)
    fk.Faker.seed(a.seed)
    companies = build_companies(rng, fk, a.companies, a.seed)
    counts = rows_per_company(rng, a.companies, a.rows)

    records = []  # (entity, Name, Website, Country, City)
    for c, k in zip(companies, counts):
        anchor = rng.randrange(k)  # this occurrence keeps website and country
        for j in range(k):
            name = messy_name(rng, c)
            keep = j == anchor
            miss_web = not keep and rng.random() < 0.25
            miss_cty = not keep and rng.random() < 0.20
            web = "" if miss_web else messy_website(rng, c.domain)
            cty = "" if miss_cty else messy_country(rng, c.country)
            records.append((c.eid, name, web, cty, messy_city(rng, c)))
    rng.shuffle(records)

    os.makedirs(a.out, exist_ok=True)
    cust_path = os.path.join(a.out, "customers.csv")
    truth_path = os.path.join(a.out, "truth.csv")
    with open(cust_path, "w", newline="", encoding="utf-8") as fc, \
            open(truth_path, "w", newline="", encoding="utf-8") as ft:
        wc, wt = csv.writer(fc, lineterminator="\n"), csv.writer(ft, lineterminator="\n")
        wc.writerow(["CustomerId", "Name", "Website", "Country", "City"])
        wt.writerow(["CustomerId", "EntityId"])
        for i, (eid, name, web, cty, city) in enumerate(records, 1):
            cid = "C%07d" % i
            wc.writerow([cid, name, web, cty, city])
            wt.writerow([cid, "E%06d" % eid])
    print("messy_crm: companies=%d rows=%d seed=%d faker=%s out=%s"
          % (a.companies, a.rows, a.seed, fk.VERSION, a.out))


if __name__ == "__main__":
    # Some Faker locales (e.g. it_IT cities) build lists from sets, so their
    # output depends on str hash randomization: pin it for determinism.
    if os.environ.get("PYTHONHASHSEED") != "0":
        os.environ["PYTHONHASHSEED"] = "0"
        os.execv(sys.executable, [sys.executable] + sys.argv)
    main()
