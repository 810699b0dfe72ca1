#!/usr/bin/env python3
"""quote_forms.py — the direct-quote score of quote_bar.py, broken down by quote form.

Usage (from anywhere; ../shared is found beside the repository root):
    python3 bench/quote_forms.py GOLD.jsonl [--limit N] [--timeout S] [--no-golden] -- PREDICTOR_CMD ...

The predictor speaks the quote_bar protocol (JSON Lines {"id","text"} in, {"id","quotes":[...]} out,
code-point offsets). Everything that decides a score is quote_bar's own code, imported from
../shared/scorers: gold units (fragments merged, split at close-quote/open-quote), normalisation,
which predictions count as direct, partial-quote neutrality, one-to-one token-Jaccard >= 0.5
matching, and speaker correctness (predicted speaker span overlaps a gold source span). This file
only re-runs the `direct / overlap` path of quote_bar.score_doc so it can keep each match, then
sorts gold units (and, for mark styles, predictions) into forms. The overall row is checked
against quote_bar.score_doc run on the same output, and the result of the check is printed.

Forms (a unit can be in several; all are read from the text around the unit):
  mark styles     the opening mark: curly double, straight double, NYT-style doubled apostrophes
                  or backticks, single (curly or straight), guillemets, German low-high. Predicted
                  direct quotes are classified the same way, so these rows have P and F1.
  short           <= 3 words.
  multi-paragraph the unit crosses a line break, or reaches one without a closing mark, or opens a
                  paragraph that continues a quote left open at the end of the previous one.
  split by attr.  its attribution has several stretches and the cue or source lies between two
                  of them ("A," he said, "B.").
  colon-introduced  a colon just before the opening mark.
  speaker outside sentence  the gold source does not overlap the sentence holding the unit
                  (split into: source before it / after it).
The non-mark forms have no predicted counterpart: recall and speaker accuracy only.

Then, for each tests/golden/*.json, article_bar.py --json is run on that file alone and its
quote exact F1 and speaker accuracy are printed (skip with --no-golden).

Exit status: 0; 1 if the overall row disagrees with quote_bar; 2 on usage error, missing
../shared or predictor failure.
"""
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.normpath(os.path.join(ROOT, "..", "shared"))
SCORERS = os.path.join(SHARED, "scorers")


def die(msg):
    print(f"quote_forms: {msg}", file=sys.stderr)
    sys.exit(2)


for _f in ("quote_bar.py", "article_bar.py"):
    if not os.path.isfile(os.path.join(SCORERS, _f)):
        die(f"{os.path.join(SCORERS, _f)} is missing: the shared scorers and data must sit "
            f"beside the repository ({SHARED})")
sys.dont_write_bytecode = True  # ../shared is read-only; leave no cache beside it
sys.path.insert(0, SCORERS)
import quote_bar as qb  # noqa: E402

# ---------------------------------------------------------------- form classification

STYLES = [("curly", "curly “…”"), ("straight", "straight \"…\""), ("nyt", "NYT ''…'' / ``…''"),
          ("single", "single ‘…’ / '…'"), ("guillemets", "guillemets «…»"), ("low", "low „…“"),
          ("none", "no opening mark")]
OTHER = [("short", "short (<= 3 words)"), ("multipara", "multi-paragraph part"),
         ("split", "split by attribution"), ("colon", "colon-introduced (: “)"),
         ("spk_out", "speaker outside sentence"), ("spk_before", "  source in earlier sentence"),
         ("spk_after", "  source in later sentence")]
MARKS = qb.QUOTES


def left_run(text, s):
    """Start of the run of whitespace / trim characters just before s."""
    i = s
    while i > 0 and qb.is_trim(text[i - 1]):
        i -= 1
    return i


def right_run(text, e):
    j = e
    while j < len(text) and qb.is_trim(text[j]):
        j += 1
    return j


def mark_style(text, s):
    """Style of the opening mark before the normalised span start s."""
    run = text[left_run(text, s):s]
    parts = [p for p in re.split(r"\s", run) if any(c in MARKS for c in p)]
    if not parts:
        return "none"
    seg = "".join(c for c in parts[-1] if c in MARKS)  # marks attached nearest the text
    if seg.startswith("''") or seg.startswith("``"):
        return "nyt"
    c = seg[0]
    if c in "“”‟″":
        return "curly"
    if c == '"':
        return "straight"
    if c in "‘’'‛`′":
        return "single"
    if c in "«»‹›":
        return "guillemets"
    if c in "„‚":
        return "low"
    return "none"


def open_at_end(par):
    """Mark styles of the double quotes left open at the end of this paragraph."""
    out = set()
    if par.rfind("“") > par.rfind("”"):
        out.add("curly")
    if par.rfind("«") > par.rfind("»"):
        out.add("guillemets")
    if par.rfind("„") > max(par.rfind("“"), par.rfind("”")):
        out.add("low")
    if par.count('"') % 2:
        out.add("straight")
    if ("``" in par and par.rfind("``") > par.rfind("''")) or (
            "``" not in par and par.count("''") % 2):
        out.add("nyt")
    return out


def multi_paragraph(text, s, e):
    if "\n" in text[s:e]:
        return True
    j = right_run(text, e)
    after = text[e:j]
    nl = after.find("\n")
    if nl >= 0 and not any(c in MARKS for c in after[:nl]) and j < len(text):
        return True  # reaches the paragraph break unclosed
    i = left_run(text, s)
    before = text[i:s]
    nl = before.rfind("\n")
    if nl >= 0 and any(c in MARKS for c in before[nl:]):
        prev = text[:i + nl].rstrip()
        par = prev[prev.rfind("\n") + 1:]
        if par and mark_style(text, s) in open_at_end(par):
            return True  # reopens a quote (same marks) left open at the end of the previous paragraph
    return False


ABBREV = {"mr", "mrs", "ms", "dr", "sen", "rep", "gov", "gen", "lt", "col", "st", "jr", "sr",
          "u.s", "u.n", "no", "vs", "sept", "oct", "nov", "dec", "jan", "feb", "aug", "inc",
          "corp", "co", "rev", "prof", "sgt", "capt", "ft", "mt", "d.c", "u.k", "n.y"}
BOUNDARY = re.compile(r"[.!?][\"”’'»)\]]*\s+(?=[\"“‘'«„`A-Z0-9])|\n")


def is_boundary(text, m):
    if "\n" in m.group(0):
        return True
    dot = m.start()
    if text[dot] != ".":
        return True
    w = re.search(r"[\w.]+$", text[max(0, dot - 12):dot])
    w = w.group(0).lower() if w else ""
    return not (w in ABBREV or (len(w) == 1 and w.isalpha()))


def sentence_of(text, s, e):
    """The sentence holding the unit: from the boundary before its opening mark to the first
    boundary after its closing mark."""
    start = 0
    for m in BOUNDARY.finditer(text, max(0, s - 3000), min(len(text), s + 1)):
        if m.end() <= s and is_boundary(text, m):
            start = m.end()
    stop = len(text)
    b = right_run(text, e)
    for m in BOUNDARY.finditer(text, e, min(len(text), e + 3000)):
        # `“Why?” Graham asked.`: a quote's own ? or ! does not end the reporter's sentence
        if text[m.start()] in "?!" and m.start() < b and "\n" not in m.group(0):
            continue
        if is_boundary(text, m):
            stop = m.start() + 1
            break
    return start, stop


def unit_forms(text, unit, split_spans):
    s, e = unit["span"]
    f = {mark_style(text, s)}
    if len(qb.TOKEN_RE.findall(text[s:e])) <= 3:
        f.add("short")
    if multi_paragraph(text, s, e):
        f.add("multipara")
    if unit["span"] in split_spans:
        f.add("split")
    if text[left_run(text, s):s].rstrip("".join(MARKS) + " \t\n\u00a0").endswith(":"):
        f.add("colon")
    if unit["source"]:
        a, b = sentence_of(text, s, e)
        if not any(ss < b and se > a for ss, se in unit["source"]):
            f.add("spk_out")
            f.add("spk_before" if min(ss for ss, _ in unit["source"]) < a else "spk_after")
    return f


def split_attr_spans(text, doc):
    """Normalised spans of units whose attribution is interrupted by its own cue or source."""
    out = set()
    for att in doc.get("attributions", []):
        if not att.get("direct"):
            continue
        stretches = qb.merge_ws(text, att["content"])
        if len(stretches) < 2:
            continue
        marks = [tuple(x) for x in (att.get("cue") or []) + (att.get("source") or [])]
        for k, (s, e) in enumerate(stretches):
            gaps = []
            if k > 0:
                gaps.append((stretches[k - 1][1], s))
            if k + 1 < len(stretches):
                gaps.append((e, stretches[k + 1][0]))
            if any(ms < ge and me > gs for gs, ge in gaps for ms, me in marks):
                for ps, pe in qb.split_direct(text, s, e):
                    n = qb.normalise(text, ps, pe)
                    if n:
                        out.add(n)
    return out


# ---------------------------------------------------------------- scoring (quote_bar's direct/overlap path)

def parse_preds(text, pred_quotes):
    """Exactly score_doc's reading of the predictor output."""
    preds = []
    for q in pred_quotes:
        try:
            s, e = int(q["start"]), int(q["end"])
        except (KeyError, TypeError, ValueError):
            continue
        if not (0 <= s < e <= len(text)):
            continue
        n = qb.normalise(text, s, e)
        if not n:
            continue
        sp = q.get("speaker") or None
        spk = None
        if isinstance(sp, dict) and "start" in sp and "end" in sp:
            spk = (int(sp["start"]), int(sp["end"]))
        partial = q.get("partial") is True
        direct = not partial and (q.get("direct") is True or qb.pred_is_direct(text, s, e))
        preds.append({"span": n, "speaker": spk, "direct": direct, "partial": partial})
    return preds


def score_doc(doc, pred_quotes, rows):
    text = doc["text"]
    tok = qb.Tok(text)
    units = qb.gold_units(doc)
    ps = [p for p in parse_preds(text, pred_quotes) if p["direct"]]
    m_all = qb.match(units, ps, "overlap", tok)
    in_sub = {gi for gi, g in enumerate(units) if g["direct"]}
    neutral = {pi for gi, pi in m_all if gi not in in_sub}
    sub_units = [g for g in units if g["direct"]]
    rest = [p for pi, p in enumerate(ps) if pi not in neutral]
    m = qb.match(sub_units, rest, "overlap", tok)
    hit = {pi for _, pi in m}
    inside = {pi for pi, p in enumerate(rest) if p["partial"] and pi not in hit and any(
        g["span"][0] <= p["span"][0] and p["span"][1] <= g["span"][1] for g in units)}
    if inside:
        rest = [p for pi, p in enumerate(rest) if pi not in inside]
        m = qb.match(sub_units, rest, "overlap", tok)
    gmatch = dict(m)
    pmatched = {pi for _, pi in m}
    split_spans = split_attr_spans(text, doc)
    for gi, g in enumerate(sub_units):
        forms = unit_forms(text, g, split_spans) | {"all"}
        ok = None
        if gi in gmatch and g["source"]:
            sp = rest[gmatch[gi]]["speaker"]
            ok = bool(sp) and any(sp[0] < e and sp[1] > s for s, e in g["source"])
        for f in forms:
            r = rows.setdefault(f, new_row())
            r["gold"] += 1
            if gi in gmatch:
                r["tp_g"] += 1
                if ok is not None:
                    r["spk_n"] += 1
                    r["spk_ok"] += ok
    for pi, p in enumerate(rest):
        for f in (mark_style(text, p["span"][0]), "all"):
            r = rows.setdefault(f, new_row())
            r["pred"] += 1
            r["tp_p"] += pi in pmatched


def new_row():
    return {"gold": 0, "pred": 0, "tp_g": 0, "tp_p": 0, "spk_n": 0, "spk_ok": 0}


def pct(a, b):
    return 100.0 * a / b if b else None


def fmt(x):
    return "–" if x is None else f"{x:.1f}"


# ---------------------------------------------------------------- golden articles

def golden(cmd):
    files = sorted(glob.glob(os.path.join(ROOT, "tests", "golden", "*.json")))
    if not files:
        return
    print("\n== golden articles (tests/golden, article_bar.py per file)")
    print(f"{'file':28} {'quotes exact F1':>15} {'speaker acc':>12}")
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "r.json")
        for f in files:
            run = subprocess.run([sys.executable, os.path.join(SCORERS, "article_bar.py"), f,
                                  "--json", out, "--"] + cmd, capture_output=True, text=True)
            try:
                with open(out, encoding="utf-8") as fh:
                    r = json.load(fh)
                os.remove(out)
            except (OSError, ValueError):
                print(f"{os.path.basename(f):28} article_bar failed (status {run.returncode}): "
                      f"{run.stderr.strip()[-300:]}")
                continue
            print(f"{os.path.basename(f):28} {r['quotes']['exact']['f1']:15.1f} "
                  f"{r['speaker_accuracy']:12.1f}")


# ---------------------------------------------------------------- main

def main(argv):
    if "--" not in argv:
        print(__doc__, file=sys.stderr)
        return 2
    k = argv.index("--")
    opts, cmd = argv[:k], argv[k + 1:]
    gold_path, limit, timeout, do_golden = None, None, 0, True
    i = 0
    while i < len(opts):
        o = opts[i]
        if o == "--limit":
            limit = int(opts[i + 1]); i += 2
        elif o == "--timeout":
            timeout = float(opts[i + 1]); i += 2
        elif o == "--no-golden":
            do_golden = False; i += 1
        elif gold_path is None and not o.startswith("--"):
            gold_path = o; i += 1
        else:
            print(f"unknown option {o}\n" + __doc__, file=sys.stderr)
            return 2
    if not gold_path or not cmd:
        print(__doc__, file=sys.stderr)
        return 2
    if not os.path.isfile(gold_path):
        die(f"{gold_path} is missing")
    docs = []
    with open(gold_path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                docs.append(json.loads(line))
            if limit and len(docs) >= limit:
                break
    preds, _bad, rc, _secs = qb.run_predictor(cmd, docs, timeout)
    if rc != 0:
        print(f"quote_forms: predictor exited with status {rc}", file=sys.stderr)
        if not preds:
            return 2
    rows = {}
    acc = {s: {m: qb.new_counts() for m in ("exact", "overlap")} for s in ("direct", "speech")}
    stats = {"bad_pred": 0, "pred_total": 0}
    for d in docs:
        score_doc(d, preds.get(d["id"], []), rows)
        qb.score_doc(d, preds.get(d["id"], []), acc, stats)

    print(f"== direct quotes by form ({os.path.basename(gold_path)}, {len(docs)} docs; "
          f"overlap match, token Jaccard >= 0.5)")
    head = (f"{'form':30} {'gold':>5} {'R':>6} {'P':>6} {'F1':>6} {'spkAcc':>6} "
            f"{'matched':>7} {'pred':>5}")
    print(head)
    print("-" * len(head))

    def line(key, label, with_p):
        r = rows.get(key, new_row())
        rec = pct(r["tp_g"], r["gold"])
        p = f1 = None
        if with_p:
            p = pct(r["tp_p"], r["pred"])
            if p is not None and rec is not None:
                f1 = 2 * p * rec / (p + rec) if p + rec else 0.0
        spk = pct(r["spk_ok"], r["spk_n"])
        print(f"{label:30} {r['gold']:5d} {fmt(rec):>6} {fmt(p):>6} {fmt(f1):>6} {fmt(spk):>6} "
              f"{r['tp_g']:7d} {(r['pred'] if with_p else '–'):>5}")
        return rec, p, f1, spk

    overall = line("all", "ALL (direct overlap)", True)
    for key, label in STYLES:
        line(key, label, True)
    for key, label in OTHER:
        line(key, label, False)

    # the check: our overall row against quote_bar's own direct/overlap counts
    ref = qb.prf(acc["direct"]["overlap"])
    a = rows.get("all", new_row())
    mine = {"gold": a["gold"], "pred": a["pred"], "tp": a["tp_g"], "spk_n": a["spk_n"],
            "spk_ok": a["spk_ok"]}
    same = all(ref[k] == v for k, v in mine.items()) and a["tp_g"] == a["tp_p"]
    rec, p, f1, spk = overall
    shown = (round(p or 0, 2), round(rec or 0, 2), round(f1 or 0, 2),
             None if spk is None else round(spk, 2))
    same = same and shown == (ref["p"], ref["r"], ref["f1"], ref["speaker_acc"])
    verdict = "equals" if same else "DIFFERS FROM"
    print(f"check: ALL row {verdict} quote_bar direct/overlap: P {ref['p']:.2f} R {ref['r']:.2f} "
          f"F1 {ref['f1']:.2f} speaker_acc {ref['speaker_acc']} (gold {ref['gold']}, pred {ref['pred']}, "
          f"tp {ref['tp']})")
    print("forms overlap; mark-style rows partition ALL. Non-mark forms have no predicted side: "
          "P and F1 are '–'.")
    if do_golden:
        golden(cmd)
    if not same:
        print("quote_forms: the per-form scoring no longer matches quote_bar.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
